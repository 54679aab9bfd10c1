/**
 * `npm run bench`: interleaved rounds of every case under the same load, reported as JSON with ratios against
 * the minimal proxy measured in the same run. Options (env): BENCH_ROUNDS (3), BENCH_DURATION_S (4),
 * BENCH_CONNECTIONS (32), BENCH_CASES (comma list of case names; default all).
 */
import {
  direct,
  minimalProxy,
  portcullis10M,
  portcullisBlocked,
  portcullisCore,
  portcullisFull,
  portcullisInspect,
} from './cases.ts';
import {
  type BenchCase,
  CLIENTS,
  GET,
  load,
  type Measurement,
  median,
  POST,
  pinSelf,
  round,
  type Started,
  spawnPinned,
  stopChild,
} from './harness.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION_S ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const ALL: BenchCase[] = [
  direct,
  minimalProxy,
  portcullisCore,
  portcullisInspect,
  portcullisFull,
  portcullisBlocked,
  portcullis10M,
];
/** The issues' targets, as ratios between two cases of the same run: [case, baseline, minimum]. */
const TARGETS: Array<[string, string, number]> = [
  ['portcullis-core', 'minimal-proxy', 0.85],
  ['portcullis-inspect', 'minimal-proxy', 0.75],
  ['portcullis', 'minimal-proxy', 0.65],
  ['portcullis-blocked', 'portcullis-core', 1.5],
  ['portcullis-10m', 'portcullis-core', 0.95],
];
const wanted = process.env.BENCH_CASES?.split(',');
// The floor and the core case are always measured: every target is a ratio against one of them.
const cases = ALL.filter(
  (c) => wanted === undefined || c.name === 'minimal-proxy' || c.name === 'portcullis-core' || wanted.includes(c.name),
);

async function main(): Promise<void> {
  pinSelf(1);
  const upstream = await spawnPinned(1, ['bench/upstream.mjs']);
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  const started = new Map<string, Started>();
  try {
    for (const c of cases) started.set(c.name, await c.start(upstreamUrl));
    const samples = new Map<string, Measurement[]>();
    // Warm-up, not measured: JIT, pools and caches, and every one of the CLIENTS clients seen once, so rounds
    // measure a gateway in its steady state (a live API's clients are mostly ones it has seen before), not the
    // first sighting of each client in whichever round happens to come first.
    for (const c of cases)
      for (const w of c.workloads ?? [GET, POST])
        await load(started.get(c.name)!.url, w, { durationS: 1, amount: CLIENTS, connections: CONNECTIONS });
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate the order each round so no case always runs first (or after the noisiest neighbour).
      const order = cases.map((_, i) => cases[(i + r) % cases.length]!);
      for (const c of order) {
        for (const w of c.workloads ?? [GET, POST]) {
          const m = await load(started.get(c.name)!.url, w, { durationS: DURATION, connections: CONNECTIONS });
          const key = `${c.name}|${w.name}`;
          samples.set(key, [...(samples.get(key) ?? []), m]);
        }
      }
    }
    const summary: Record<
      string,
      Record<string, { rps: number; p50Ms: number; p99Ms: number; unexpected: number; ratioToMinimal?: number }>
    > = {};
    for (const [key, ms] of samples) {
      const [name, workload] = key.split('|') as [string, string];
      summary[name] ??= {};
      summary[name][workload] = {
        rps: round(median(ms.map((m) => m.rps)), 0),
        p50Ms: median(ms.map((m) => m.p50Ms)),
        p99Ms: median(ms.map((m) => m.p99Ms)),
        unexpected: ms.reduce((a, m) => a + m.unexpected, 0),
      };
    }
    for (const name in summary) {
      for (const workload in summary[name]) {
        const floor = summary['minimal-proxy']?.[workload]?.rps;
        if (floor) summary[name]![workload]!.ratioToMinimal = round(summary[name]![workload]!.rps / floor);
      }
    }
    // Latency at half of the floor's saturation rate: what a client sees on a busy but not overloaded gateway.
    const halfLoad: Record<string, Record<string, { rate: number; p99Ms: number; p99DeltaMs?: number }>> = {};
    for (const w of [GET, POST]) {
      const floorRps = summary['minimal-proxy']?.[w.name]?.rps;
      if (!floorRps) continue;
      const rate = Math.round(floorRps / 2);
      for (const c of cases.filter(
        (c) => c.name !== 'direct' && (c.workloads === undefined || c.workloads.includes(w)),
      )) {
        const p99s: number[] = [];
        for (let r = 0; r < Math.max(1, ROUNDS - 1); r++)
          p99s.push(
            (
              await load(started.get(c.name)!.url, w, {
                durationS: DURATION,
                connections: CONNECTIONS,
                overallRate: rate,
              })
            ).p99Ms,
          );
        halfLoad[c.name] ??= {};
        halfLoad[c.name]![w.name] = { rate, p99Ms: median(p99s) };
      }
      for (const name in halfLoad) {
        const base = halfLoad['minimal-proxy']?.[w.name]?.p99Ms;
        const entry = halfLoad[name]![w.name];
        if (base !== undefined && entry) entry.p99DeltaMs = round(entry.p99Ms - base, 2);
      }
    }
    const targets = TARGETS.filter(([c, b]) => summary[c] && summary[b]).flatMap(([c, b, min]) =>
      ['GET', 'POST'].map((w) => {
        const ratio = round((summary[c]![w]?.rps ?? 0) / (summary[b]![w]?.rps ?? 1));
        return { case: c, baseline: b, workload: w, ratio, minimum: min, met: ratio >= min };
      }),
    );
    const report = {
      benchmark: 'gateway-throughput',
      node: process.version,
      settings: { rounds: ROUNDS, durationS: DURATION, connections: CONNECTIONS, proxyCore: 0, loadCore: 1 },
      cases: Object.fromEntries(cases.map((c) => [c.name, c.description])),
      targets,
      saturation: summary,
      // Every round's rate, in the order measured: the spread between rounds is how far to trust a ratio.
      roundsRps: Object.fromEntries([...samples].map(([key, ms]) => [key, ms.map((m) => round(m.rps, 0))])),
      halfLoad,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    for (const s of started.values()) await s.stop();
    await stopChild(upstream.child);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
