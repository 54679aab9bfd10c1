import { randomInt } from 'node:crypto';

/**
 * A 53-bit hash of a secret value (a cookie, an Authorization header), so the clean-value cache can remember
 * "this token was clean" without keeping the token. Two 32-bit multiply–xor lanes over the UTF-16 code units,
 * mixed at the end; seeded per process, so nobody outside can aim a value at the hash of another. A collision
 * would let a value skip the rules once its twin was found clean: at 2^-53 per pair, against a cache bounded at
 * CACHE_MAX entries, that is not a practical bypass.
 */
const SEED_A = randomInt(2 ** 31);
const SEED_B = randomInt(2 ** 31);

export function secretKey(s: string): number {
  let a = 0x811c9dc5 ^ SEED_A;
  let b = 0x6b43a9b5 ^ SEED_B;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = Math.imul(a ^ (a >>> 15), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  return (b & 0x1fffff) * 0x100000000 + (a >>> 0);
}
