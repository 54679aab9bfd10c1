/**
 * The issue 5 soak through the whole gateway: N distinct client IPs (default 5 000 000) each send one request
 * while a separate client keeps asking for a page, and actor-state memory must stay under its cap (512 MB by
 * default) with that client served throughout.
 *
 * The real CLI (`portcullis start`) runs with `--trust-proxy 127.0.0.1/32`, so each flood request's
 * X-Forwarded-For is its client address; detection, identity and behaviour are on, enforce mode, as shipped.
 * Addresses are spread over 64 /8s and the whole /24 space within each (a multiplicative hash of the index), so
 * nearly every request also brings a new `subnet:` facet: the worst case for per-client state. The flood is one
 * client stack (the botnet case); the probe is another stack from its own address, one request a second.
 *
 * Sampled every few seconds: the actor graph's own accounting (`GET /api/v1/actors`), the behaviour engine's
 * (`GET /api/v1/behaviour`: counter keys, risk facets), V8 heap from `/metrics`, process RSS from /proc.
 * Prints one JSON object. A soak, not a throughput figure: run it outside the bench lock, niced. The gateway is the
 * compiled CLI pinned to core 0, as in every bench case (bench/cases.ts); upstream and load share core 1.
 *
 *   nice -n 10 node --import tsx bench/identity-5m-gateway.ts [ips=5000000] [capMb=512]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { portcullisCase } from './cases.ts';
import { spawnPinned, stopChild } from './harness.ts';

const ips = Number(process.argv[2] ?? 5_000_000);
const capMb = Number(process.argv[3] ?? 512);
const inFlight = Number(process.env.SOAK_IN_FLIGHT ?? 64);
const sampleEveryMs = Number(process.env.SOAK_SAMPLE_MS ?? 5_000);
const TOKEN = 'soak-token-0123456789abcdef';

/** i → a distinct IPv4 address for i < 2^24: 64 first octets × a bijective 24-bit mix (odd multiplier mod 2^24). */
function addressOf(i: number): string {
  const x = Math.imul(i, 0x9e3779b1) & 0xffffff;
  return `${11 + (i & 63)}.${x >>> 16}.${(x >>> 8) & 255}.${x & 255}`;
}

const FLOOD_HEADERS = {
  'user-agent': 'python-requests/2.31.0',
  accept: '*/*',
  'accept-encoding': 'gzip, deflate',
};
const PROBE_HEADERS = {
  'user-agent': 'acme-monitor/1.4 (+https://acme.example/monitor)',
  accept: 'application/json',
  'accept-language': 'en-GB',
  'x-forwarded-for': '198.51.100.77',
};

const dataDir = mkdtempSync(join(tmpdir(), 'pc-soak-'));
const config = join(dataDir, 'portcullis.yaml');
writeFileSync(config, `identity:\n  actors:\n    memoryCapMb: ${capMb}\n`);

const upstream = await spawnPinned(1, ['bench/upstream.mjs']);
const gateway = await portcullisCase('soak', 'the issue 5 soak', ['--config', config], {
  PORTCULLIS_ADMIN_TOKEN: TOKEN,
}).start(`http://127.0.0.1:${upstream.port}`);
const { url } = gateway;
const adminUrl = gateway.adminUrl!;

async function admin(path: string): Promise<Response> {
  return fetch(adminUrl + path, { headers: { authorization: `Bearer ${TOKEN}` } });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

interface Sample {
  t: number;
  sent: number;
  actorMb: number;
  actorFacets: number;
  actorEvicted: number;
  heapMb: number;
  rssMb: number;
  counterKeys: number;
  riskFacets: number;
}
const samples: Sample[] = [];
let sent = 0;
let done = 0;
const statuses: Record<string, number> = {};
const t0 = Date.now();

async function sample(): Promise<void> {
  const [actors, behaviour, metrics] = await Promise.all([
    admin('/api/v1/actors').then((r) => r.json() as Promise<{ facets: number; estimatedBytes: number; evicted: number }>),
    admin('/api/v1/behaviour').then(
      (r) => r.json() as Promise<{ counters: { keys: number }; riskFacets: number }>,
    ),
    admin('/metrics').then((r) => r.text()),
  ]);
  const heap = /^portcullis_process_nodejs_heap_size_used_bytes (\S+)/m.exec(metrics);
  const s: Sample = {
    t: Math.round((Date.now() - t0) / 1000),
    sent: done,
    actorMb: Math.round(actors.estimatedBytes / 1048576),
    actorFacets: actors.facets,
    actorEvicted: actors.evicted,
    heapMb: heap ? Math.round(Number(heap[1]) / 1048576) : Number.NaN,
    rssMb: rssMb(gateway.pid!),
    counterKeys: behaviour.counters.keys,
    riskFacets: behaviour.riskFacets,
  };
  samples.push(s);
  process.stderr.write(`${JSON.stringify(s)}\n`);
}

// The probe: its own connection, one request a second, from an address and stack the flood never uses.
const probe = new Pool(url, { connections: 1 });
const probeLatencies: number[] = [];
const probeFailures: string[] = [];
let probing = true;
const probeLoop = (async () => {
  while (probing) {
    const start = process.hrtime.bigint();
    try {
      const res = await probe.request({ path: '/api/products/7', method: 'GET', headers: PROBE_HEADERS });
      await res.body.dump();
      if (res.statusCode !== 200) probeFailures.push(`status ${res.statusCode} at ${done}`);
      else probeLatencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    } catch (error) {
      probeFailures.push(`${(error as Error).message} at ${done}`);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
})();

const sampler = setInterval(() => void sample().catch((e: Error) => process.stderr.write(`sample: ${e.message}\n`)), sampleEveryMs);
const flood = new Pool(url, { connections: inFlight / 4, pipelining: 4 });
async function worker(): Promise<void> {
  for (;;) {
    const i = sent++;
    if (i >= ips) return;
    const res = await flood.request({
      path: `/api/products/${i % 100}`,
      method: 'GET',
      headers: { ...FLOOD_HEADERS, 'x-forwarded-for': addressOf(i) },
    });
    await res.body.dump();
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    done++;
  }
}
await Promise.all(Array.from({ length: inFlight }, worker));
const seconds = (Date.now() - t0) / 1000;
clearInterval(sampler);
await sample();
probing = false;
await probeLoop;
await Promise.all([probe.close(), flood.close()]);
await Promise.all([gateway.stop(), stopChild(upstream.child)]);
rmSync(dataDir, { recursive: true, force: true });

const sorted = [...probeLatencies].sort((a, b) => a - b);
const q = (p: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN).toFixed(1));
const max = (k: keyof Sample) => Math.max(...samples.map((s) => s[k]));
console.log(
  JSON.stringify({
    ips,
    capMb,
    seconds: Math.round(seconds),
    requestsPerSec: Math.round(ips / seconds),
    statuses,
    actorMbMax: max('actorMb'),
    underCap: max('actorMb') <= capMb,
    rssMbMax: max('rssMb'),
    heapMbMax: max('heapMb'),
    counterKeysMax: max('counterKeys'),
    riskFacetsMax: max('riskFacets'),
    probe: {
      ok: probeLatencies.length,
      failed: probeFailures.length,
      failures: probeFailures.slice(0, 10),
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      maxMs: Number((sorted[sorted.length - 1] ?? Number.NaN).toFixed(1)),
    },
    samples: samples.filter((_, k) => k % Math.max(1, Math.floor(samples.length / 40)) === 0 || k === samples.length - 1),
    node: process.version,
  }),
);
