import { randomBytes } from 'node:crypto';

/**
 * Incident ids are what a blocked client sees instead of a reason (style rule 11): short, unguessable,
 * sortable by time. 6 bytes of time (ms) + 6 random bytes, base32 (Crockford) → 20 chars.
 * Random bytes come from a pooled buffer refilled in bulk, because one `randomBytes` call per request is measurable.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const POOL_SIZE = 6 * 1024;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

export function newIncidentId(nowMs: number = Date.now()): string {
  if (offset + 6 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  // 10 base32 digits of the time, most significant first (built right to left).
  let out = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  // 6 random bytes = 48 bits → 10 base32 chars (48/5 rounded up; the top bits of the last char are zero).
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < 6; i++) {
    acc = (acc << 8) | pool[offset + i]!;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  offset += 6;
  return out;
}
