/**
 * Small seeded generators, so generated traffic (simulator, benign corpus) and randomised tests replay exactly
 * from a seed on every machine. Not for anything secret: use node:crypto there.
 */

/** mulberry32: uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** xorshift32 (Marsaglia 2003): `n` deterministic "random" bytes, e.g. binary bodies whose failures replay. */
export function xorshiftBytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * xorshift32 (Marsaglia 2003): deterministic integers in [0, n), so a randomised test's inputs replay from its
 * seed. A seed of 0 would stay 0 for ever, so it is taken as 1.
 */
export function xorshiftInts(seed: number): (n: number) => number {
  let x = seed | 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}
