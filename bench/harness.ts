import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Shared machinery of the gateway benchmarks: processes pinned to cores, load from autocannon, medians of
 * interleaved rounds. This machine is shared and noisy, so results are ratios against a baseline measured in
 * the same run, never absolute thresholds.
 */
const require = createRequire(import.meta.url);
// autocannon is a bench-only dependency (bench/package.json); CommonJS, hence require.
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
}

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

let compiled: Promise<string> | undefined;

/**
 * The gateway's CLI compiled as `npm run build` compiles it (what `bin/portcullis.js` runs in production), into a
 * directory of this benchmark process's own, so a benchmark never measures a stale build. Not tsx: its esbuild
 * output wraps every closure in a `__name()` call, a development-time cost production does not pay.
 */
export function compiledGateway(): Promise<string> {
  compiled ??= new Promise((resolve, reject) => {
    const outDir = join(ROOT, 'bench', `.build-${process.pid}`);
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    const tsc = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir, '--sourceMap', 'false'],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    tsc.on('exit', (code) =>
      code === 0 ? resolve(join(outDir, 'src/cli/main.js')) : reject(new Error(`tsc exited with ${code}`)),
    );
  });
  return compiled;
}

/** Distinct client addresses the load is spread over. */
export const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20_000);

export interface Workload {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** The status every answer should have. */
  readonly expectStatus: number;
}

export interface Started {
  readonly url: string;
  readonly adminUrl?: string;
  /** The gateway's process, for cases that run one (memory soaks read its RSS). */
  readonly pid?: number;
  stop(): Promise<void>;
}

export interface BenchCase {
  readonly name: string;
  readonly description: string;
  start(upstreamUrl: string): Promise<Started>;
  /** Workloads this case runs; default GET and POST. */
  readonly workloads?: readonly Workload[];
}

export interface Measurement {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly unexpected: number;
}

/**
 * A partner integration's API client: honest about what it is. (A Chrome User-Agent sent by autocannon is a
 * client that lies about its stack, and identity rightly flags every such request.)
 */
const CLIENT_HEADERS = {
  'user-agent': 'acme-checkout/2.3.1 (+https://acme.example/integrations)',
  accept: 'application/json, text/plain, */*',
  'accept-language': 'en-GB,en;q=0.9',
  'accept-encoding': 'gzip, deflate, br',
  authorization: 'Bearer 3f2a9c1e0b7d4e5f8a6b2c1d0e9f8a7b',
};

export const GET: Workload = {
  name: 'GET',
  method: 'GET',
  path: '/api/products/42?ref=home&page=2&sort=price',
  headers: CLIENT_HEADERS,
  expectStatus: 200,
};

export const POST: Workload = {
  name: 'POST',
  method: 'POST',
  path: '/api/orders',
  headers: { ...CLIENT_HEADERS, 'content-type': 'application/json' },
  body: JSON.stringify({
    productId: 42,
    quantity: 2,
    note: "Please leave it with Mrs O'Brien next door — select the blue one if the union-jack one is gone.",
    address: { street: '12 Station Road', city: 'Leeds', postcode: 'LS1 4DY' },
    email: 'ada.lovelace@example.com',
  }),
  expectStatus: 200,
};

/** Starts a child process pinned to a core and waits for the JSON line with its port. */
export function spawnPinned(
  core: number,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', String(core), process.execPath, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

/** Pins this process (the load generator) to a core, away from the proxy under test. */
export function pinSelf(core: number): void {
  spawnSync('taskset', ['-cp', String(core), String(process.pid)], { stdio: 'ignore' });
}

export async function load(
  url: string,
  workload: Workload,
  options: { durationS: number; connections: number; overallRate?: number; amount?: number },
): Promise<Measurement> {
  // Spread the load over CLIENTS addresses (X-Forwarded-For, trusted by the gateway cases): real API traffic
  // comes from many clients, and one address sending thousands of requests a second is, rightly, a flood.
  let n = 0;
  const result = await autocannon({
    url: url + workload.path,
    method: workload.method,
    headers: workload.headers,
    ...(workload.body === undefined ? {} : { body: workload.body }),
    requests: [
      {
        setupRequest: (req: { headers: Record<string, string> }) => {
          n = (n + 1) % CLIENTS;
          // Each client has its own address and its own API key (one key at thousands of requests a second is a
          // flood, and behaviour rightly treats it as one).
          req.headers = {
            ...req.headers,
            'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
            authorization: `Bearer key-${n.toString(36)}-3f2a9c1e0b7d4e5f`,
          };
          return req;
        },
      },
    ],
    connections: options.connections,
    // `amount` (a request count) replaces the duration when given.
    ...(options.amount === undefined ? { duration: options.durationS } : { amount: options.amount }),
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
  });
  const expected = result.statusCodeStats?.[String(workload.expectStatus)]?.count ?? 0;
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    unexpected: result.requests.total - expected + result.errors + result.timeouts,
  };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
