/**
 * `node --import tsx bench/behaviour-profile.ts`: cost of the behaviour engine per request (profile + score +
 * act + observe, every detector on, virtual clock, in-memory counters), and the measurement behind the choice of
 * exact capped rings over count-min sketches for the windows (src/behaviour/counter-store.ts). Prints JSON.
 * Options (env): BENCH_REQUESTS (200000), BENCH_PART (all | engine | windows).
 */
import { createHash } from 'node:crypto';
import { MemoryCounterStore, type SeriesSpec } from '../src/behaviour/counter-store.ts';
import { createHarness, type RequestSpec, subject } from '../src/behaviour/engine-harness.ts';

const N = Number(process.env.BENCH_REQUESTS ?? 200_000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)]!;

/** Traffic shaped like the simulator's: 5 000 clients browsing, 3 % logins, a few shared client stacks. */
function traffic(i: number): { spec: RequestSpec; status: number } {
  const client = (i * 2654435761) % 5000;
  const ip = `10.${client >> 8}.${client & 255}.${1 + (client % 200)}`;
  const stack = `stack${client % 7}`;
  if (i % 33 === 0)
    return {
      spec: { ip, stack, method: 'POST', path: '/api/login', account: `u${client}` },
      status: i % 330 === 0 ? 401 : 200,
    };
  if (i % 5 === 0)
    return {
      spec: { ip, stack, path: '/api/products', query: `page=${1 + (i % 5)}`, principal: `p${client}` },
      status: 200,
    };
  return {
    spec: { ip, stack, path: `/api/products/${1 + ((i * 7919) % 1000)}`, principal: `p${client}` },
    status: 200,
  };
}

function engineCost(): { medianUs: number; p99Us: number; requests: number; blocked: number } {
  const h = createHarness();
  const times: number[] = [];
  let blocked = 0;
  for (let i = 0; i < N; i++) {
    h.clock.advance(2);
    const { spec, status } = traffic(i);
    const s = subject(spec);
    const t0 = process.hrtime.bigint();
    h.engine.profile(s);
    h.engine.score(s);
    h.engine.act(s);
    (s as { upstream?: { status: number; latencyMs: number } }).upstream = { status, latencyMs: 3 };
    h.engine.observe(s);
    const t1 = process.hrtime.bigint();
    if (s.verdict.action === 'block') blocked++;
    if (i >= N / 10) times.push(Number(t1 - t0) / 1000); // the first 10 % warm the JIT
  }
  return {
    medianUs: Math.round(median(times) * 100) / 100,
    p99Us: Math.round(pct(times, 0.99) * 100) / 100,
    requests: N,
    blocked,
  };
}

/**
 * Windows: exact rings in a capped LRU against a count-min sketch (Cormode & Muthukrishnan 2005) of the same
 * memory, on a skewed key population (Zipf-like: a few busy keys, a long tail of one-request keys, as IPs are).
 * What matters for false positives is how far a *quiet* key's count is over-estimated.
 */
function windowsMemoryAndError() {
  const spec: SeriesSpec = { name: 'bench', windowMs: 600_000, bucketMs: 30_000 };
  const keys = 100_000;
  const counts = new Map<string, number>();
  const stream: string[] = [];
  for (let i = 0; i < 1_000_000; i++) {
    const k = `ip:${Math.floor(keys * Math.random() ** 3)}`;
    stream.push(k);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const store = new MemoryCounterStore({ maxKeys: keys * 2 });
  for (const k of stream) store.add(spec, k, 0);
  global.gc?.();
  const ringBytes = process.memoryUsage().heapUsed - before;
  // A sliding-window count-min needs one sketch per bucket (20 here), so at the rings' memory each sketch gets a
  // twentieth of it; a second point at a hundredth shows how the error grows as memory is squeezed.
  const depth = 4;
  const sketch = (share: number) => {
    const width = Math.max(1, Math.floor((ringBytes * share) / (depth * 8)));
    const cm = Array.from({ length: depth }, () => new Float64Array(width));
    const cell = (k: string, row: number) => createHash('sha1').update(`${row}:${k}`).digest().readUInt32LE(0) % width;
    for (const k of stream) for (let r = 0; r < depth; r++) cm[r]![cell(k, r)]! += 1;
    const estimate = (k: string) => Math.min(...cm.map((row, r) => row[cell(k, r)]!));
    const quiet = [...counts].filter(([, c]) => c <= 2);
    const over = quiet.map(([k, c]) => estimate(k) - c);
    return {
      width,
      quietKeys: quiet.length,
      medianOvercount: median(over),
      p99Overcount: pct(over, 0.99),
      maxOvercount: Math.max(...over),
    };
  };
  return {
    keys: counts.size,
    requests: stream.length,
    ringBytesPerKey: Math.round(ringBytes / counts.size),
    ringExact: store.sum(spec, stream[0]!, 0) === counts.get(stream[0]!),
    countMinPerBucketAtRingMemory: sketch(1 / 20),
    countMinPerBucketAtOneFifthOfThat: sketch(1 / 100),
  };
}

const part = process.env.BENCH_PART ?? 'all';
const result = {
  ...(part !== 'windows' && { engine: engineCost() }),
  ...(part !== 'engine' && { windows: windowsMemoryAndError() }),
  node: process.version,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
