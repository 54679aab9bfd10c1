/**
 * `node --import tsx bench/behaviour-throughput.ts`: gateway throughput with every detector on (identity,
 * detection, behaviour) against the minimal proxy floor of the core benchmark, in interleaved rounds on the same
 * pinned cores (bench/harness.ts, bench/cases.ts), and against the same gateway without the behaviour engine.
 * Prints JSON with `ratioToMinimal` per workload.
 * Options (env): BENCH_ROUNDS (2), BENCH_DURATION_S (3), BENCH_CONNECTIONS (32).
 */
import { minimalProxy, PROXY_CORE } from './cases.ts';
import {
  type BenchCase,
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
  type Workload,
} from './harness.ts';

/**
 * The core workloads send a Chrome User-Agent with all-lower-case HTTP/1.1 header names, which identity rightly
 * calls inconsistent: every request is then *watched*, and a watched request costs an event-log write. These
 * workloads are the same requests from a consistent API client (the simulator's mobile app), which is what most
 * traffic through an API gateway looks like; both are reported.
 */
const APP_HEADERS = {
  'user-agent': 'ShopApp/3.2.1 (Android 14; Pixel 8) okhttp/4.12.0',
  accept: 'application/json',
  'accept-encoding': 'gzip',
  authorization: 'Bearer 3f2a9c1e0b7d4e5f8a6b2c1d0e9f8a7b',
};
const APP_GET: Workload = { ...GET, name: 'app-GET', headers: APP_HEADERS };
const APP_POST: Workload = {
  ...POST,
  name: 'app-POST',
  headers: { ...APP_HEADERS, 'content-type': 'application/json' },
};
const WORKLOADS = [GET, POST, APP_GET, APP_POST];

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const DURATION = Number(process.env.BENCH_DURATION_S ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const withBehaviour: BenchCase = {
  name: 'portcullis-all-detectors',
  description: 'the gateway with identity, detection and behaviour (flood ceilings lifted, see behaviour-gateway.ts)',
  async start(upstreamUrl) {
    const { child, port } = await spawnPinned(PROXY_CORE, ['--import', 'tsx', 'bench/behaviour-gateway.ts'], {
      UPSTREAM: upstreamUrl,
    });
    return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
  },
};

const withoutBehaviour: BenchCase = {
  name: 'portcullis-no-behaviour',
  description: 'the same gateway (identity, detection) without the behaviour engine: isolates its cost',
  async start(upstreamUrl) {
    const { child, port } = await spawnPinned(PROXY_CORE, ['--import', 'tsx', 'bench/behaviour-gateway.ts'], {
      UPSTREAM: upstreamUrl,
      BEHAVIOUR: 'off',
    });
    return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
  },
};

async function main(): Promise<void> {
  pinSelf(1);
  const upstream = await spawnPinned(1, ['bench/upstream.mjs']);
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  const cases = [minimalProxy, withoutBehaviour, withBehaviour];
  const started = new Map<string, Started>();
  const samples = new Map<string, Measurement[]>();
  try {
    for (const c of cases) started.set(c.name, await c.start(upstreamUrl));
    for (const c of cases)
      for (const w of WORKLOADS) await load(started.get(c.name)!.url, w, { durationS: 1, connections: CONNECTIONS });
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate the order each round so no case always runs first (or after the noisiest neighbour).
      for (const c of cases.map((_, i) => cases[(i + r) % cases.length]!)) {
        for (const w of WORKLOADS) {
          const m = await load(started.get(c.name)!.url, w, { durationS: DURATION, connections: CONNECTIONS });
          samples.set(`${c.name}|${w.name}`, [...(samples.get(`${c.name}|${w.name}`) ?? []), m]);
        }
      }
    }
    const out: Record<
      string,
      Record<string, { rps: number; p99Ms: number; unexpected: number; ratioToMinimal?: number }>
    > = {};
    for (const [key, ms] of samples) {
      const [name, w] = key.split('|') as [string, string];
      out[name] ??= {};
      out[name][w] = {
        rps: round(median(ms.map((m) => m.rps)), 0),
        p99Ms: median(ms.map((m) => m.p99Ms)),
        unexpected: ms.reduce((a, m) => a + m.unexpected, 0),
      };
    }
    for (const name in out)
      for (const w in out[name]) {
        const floor = out['minimal-proxy']?.[w]?.rps;
        if (floor) out[name]![w]!.ratioToMinimal = round(out[name]![w]!.rps / floor);
      }
    process.stdout.write(
      `${JSON.stringify({ benchmark: 'behaviour-throughput', node: process.version, settings: { rounds: ROUNDS, durationS: DURATION, connections: CONNECTIONS }, saturation: out }, null, 2)}\n`,
    );
  } finally {
    for (const s of started.values()) await s.stop();
    await stopChild(upstream.child);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
