/**
 * Gate lookup rate and memory at 1,000 decisions and at 10,000,000 IPv4 + 1,000,000 CIDRs (v4 and v6 mixed).
 *
 *   node --import tsx --expose-gc bench/decisions-gate.ts [--ip4 10000000] [--cidrs 1000000]
 *
 * Builds the in-memory gate the service builds (GateIndex, same put path as imports), then times `lookup` of a
 * request's facets (client IP + TLS + HTTP fingerprints) under three client distributions, each a pool of
 * distinct clients cycled in order: 1,024 clients (a small site, or one busy API: all their table slots stay in
 * cache), 65,536, and 1,048,576 "uniform" clients (every lookup from a random address last seen a million lookups
 * ago: nothing of it is cached, the worst case). In each pool 80 % are IPv4 clients, 10 % IPv6 and 10 % hit a
 * decision. Prints one JSON object. RSS is for the whole process after a full GC, before the client pools exist.
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1 puts the tables on transparent huge pages (`hugePagesMiB` shows it); it did
 * not change the rates here (docs/benchmarks.md).
 */
import { readFileSync } from 'node:fs';
import { ManualClock } from '../src/core/clock.ts';
import type { Facet } from '../src/core/facet.ts';
import { formatV4, formatV6 } from '../src/decisions/addr.ts';
import { GateIndex } from '../src/decisions/gate.ts';
import { gatePutProfile } from '../src/decisions/gate-write.ts';
import type { Target } from '../src/decisions/target.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
let seed = 12345;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};

/**
 * Prefix lengths shaped like real v4 feeds (FireHOL level1–3, Spamhaus DROP, cloud-provider ranges): mostly /24,
 * then /20–/23 and /25–/32, few /16–/19 and very few wider. Coverage matters: with 1 M prefixes, 5 % of /8–/15
 * would cover the whole address space and every request would be a hit.
 */
function v4Bits(): number {
  const r = rnd() % 10_000;
  if (r < 6000) return 24;
  if (r < 8000) return 25 + (rnd() % 8);
  if (r < 9500) return 20 + (rnd() % 4);
  if (r < 9990) return 16 + (rnd() % 4);
  return 8 + (rnd() % 8);
}
const V6_BITS = [32, 48, 56, 64];

function build(ip4: number, cidrs: number) {
  const gate = new GateIndex(new ManualClock());
  const prof = gate.profiles.acquire('block', 'bench', undefined, 1);
  let id = 1;
  const hitsV4: string[] = [];
  const hitsCidr: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < ip4; i++) {
    // An odd multiplier is a bijection mod 2^32: distinct addresses spread over the whole space.
    const v4 = Math.imul(i + 1, 0x9e3779b1) >>> 0;
    gatePutProfile(gate, { kind: 'ip', family: 4, v4, value: '' }, id++, prof);
    if (i % Math.max(1, Math.floor(ip4 / 4096)) === 0) hitsV4.push(`ip:${formatV4(v4)}`);
  }
  for (let i = 0; i < cidrs; i++) {
    let t: Target;
    if (i % 10 !== 9) {
      const bits = v4Bits();
      const v4 = (rnd() & (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0)) >>> 0;
      t = { kind: 'cidr', family: 4, v4, bits, value: '' };
      if (i % Math.max(1, Math.floor(cidrs / 4096)) === 0)
        hitsCidr.push(`ip:${formatV4((v4 | (rnd() & (0xff >>> Math.max(0, bits - 24)))) >>> 0)}`);
    } else {
      const bits = V6_BITS[rnd() % 4]!;
      const w = Uint32Array.of(0x20010db8 ^ (rnd() & 0xffff), rnd(), bits > 64 ? rnd() : 0, 0);
      if (bits < 64) w[1] = (w[1]! & ((0xffffffff << (64 - bits)) >>> 0)) >>> 0;
      t = { kind: 'cidr', family: 6, w, bits, value: '' };
    }
    gatePutProfile(gate, t, id++, prof);
  }
  return { gate, hitsV4, hitsCidr, buildMs: Math.round(performance.now() - t0) };
}

/**
 * `size` request facet sets: 10 % carry an address a decision covers (half exact, half inside a CIDR), the rest
 * are clients no decision covers (80 % IPv4, 10 % IPv6, drawn at random and kept only if the gate misses them —
 * with a million prefixes a random address is often covered, which would make the "clean" traffic mostly hits).
 */
function requestPool(gate: GateIndex, hitsV4: string[], hitsCidr: string[], size: number): Facet[][] {
  const pool: Facet[][] = [];
  const tls: Facet[] = ['tls:t13d1516h2_8daaf6152771_e5627efa2ab1', 'tls:t13d1715h2_5b57614c22b0_3d5424432f57'];
  for (let i = 0; i < size; i++) {
    const r = i % 10;
    let ip: string;
    if (r === 0) {
      const exact = hitsV4.length > 0 && (i % 20 === 0 || hitsCidr.length === 0);
      ip = exact ? hitsV4[i % hitsV4.length]! : hitsCidr[i % hitsCidr.length]!;
    }
    else {
      do {
        ip =
          r === 1
            ? `ip:${formatV6(Uint32Array.of(0x2a020000 | (rnd() & 0xffff), rnd(), rnd(), rnd()))}`
            : `ip:${formatV4(rnd())}`;
      } while (gate.lookup([ip as Facet]) !== undefined);
    }
    pool.push([ip as Facet, tls[i & 1]!, `http:h1${(i & 63).toString(16)}` as Facet]);
  }
  return pool;
}

/** Lookups/s of one timed pass of `n` lookups over `pool`, cycled in order. */
function pass(gate: GateIndex, pool: Facet[][], n: number): number {
  const mask = pool.length - 1;
  let hits = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) if (gate.lookup(pool[i & mask]!) !== undefined) hits++;
  const ns = Number(process.hrtime.bigint() - t0);
  if (hits === 0 && pool.length > 10) throw new Error('no hits: the pool is not what it claims');
  return (n / ns) * 1e9;
}

/**
 * The small and the large gate timed in alternating passes, best of ROUNDS each: the machine is shared, neighbours'
 * load comes in bursts, and alternating puts both sizes under the same bursts instead of one size under each.
 */
function ratePair(a: [GateIndex, Facet[][]], b: [GateIndex, Facet[][]], n: number): [number, number] {
  for (const [g, pool] of [a, b]) for (let i = 0; i < 200_000; i++) g.lookup(pool[i & (pool.length - 1)]!); // JIT
  let bestA = 0;
  let bestB = 0;
  for (let run = 0; run < ROUNDS; run++) {
    bestA = Math.max(bestA, pass(a[0], a[1], n));
    bestB = Math.max(bestB, pass(b[0], b[1], n));
  }
  return [Math.round(bestA), Math.round(bestB)];
}

function missAllocation(gate: GateIndex): number {
  const misses: Facet[][] = [];
  for (let i = 0; i < 1024; i++) misses.push([`ip:${formatV4(rnd())}` as Facet]);
  const miss = misses.filter((f) => gate.lookup(f) === undefined);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1_000_000; i++) gate.lookup(miss[i % miss.length]!);
  return process.memoryUsage().heapUsed - before;
}

/** Transparent huge pages backing this process (the tables are the only large anonymous mappings), MiB. */
function hugePagesMiB(): number {
  try {
    const m = /AnonHugePages:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return m === null ? 0 : Math.round(Number(m[1]) / 1024);
  } catch {
    return 0;
  }
}

const N = arg('lookups', 1_000_000);
const ROUNDS = arg('rounds', 7);
const POOLS = [1024, 65536, 1 << 20] as const;
const small = build(900, 100);
const smallAlloc = missAllocation(small.gate);

gc();
const rssBase = process.memoryUsage().rss;
const big = build(arg('ip4', 10_000_000), arg('cidrs', 1_000_000));
gc();
gc();
const mem = process.memoryUsage();
const huge = hugePagesMiB();
const bigAlloc = missAllocation(big.gate);

const byClients: Record<string, { small: number; large: number; ratio: number }> = {};
for (const clients of POOLS) {
  // The same client addresses for both sizes would miss differently; each gate gets its own pool of misses.
  const smallPool = requestPool(small.gate, small.hitsV4, small.hitsCidr, clients);
  const bigPool = requestPool(big.gate, big.hitsV4, big.hitsCidr, clients);
  const [s, l] = ratePair([small.gate, smallPool], [big.gate, bigPool], N);
  gc();
  byClients[clients === 1 << 20 ? 'uniform (1048576)' : String(clients)] = {
    small: s,
    large: l,
    ratio: Number((l / s).toFixed(3)),
  };
}

console.log(
  JSON.stringify(
    {
      bench: 'decisions-gate',
      node: process.version,
      lookupsPerRequest: '1 ip + 2 facets',
      lookupsPerSecByDistinctClients: byClients,
      small: { entries: small.gate.size, missHeapDeltaBytes: smallAlloc },
      large: {
        entries: big.gate.size,
        ip4: big.gate.ip4.size,
        cidr4: big.gate.cidr4.size,
        cidr6: big.gate.cidr6.size,
        v6Lengths: [...big.gate.cidr6.lengths],
        buildMs: big.buildMs,
        missHeapDeltaBytes: bigAlloc,
      },
      rssMiB: Math.round(mem.rss / 2 ** 20),
      rssBeforeLargeMiB: Math.round(rssBase / 2 ** 20),
      heapUsedMiB: Math.round(mem.heapUsed / 2 ** 20),
      arrayBuffersMiB: Math.round(mem.arrayBuffers / 2 ** 20),
      hugePagesMiB: huge,
    },
    null,
    2,
  ),
);
