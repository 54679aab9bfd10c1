/**
 * Values no rule can match: UUIDs and decimal numbers of up to nine digits (ids, request ids, trace ids,
 * counters). Made only of hex digits and a UUID's four dashes, they hold no quote, markup, separator, path,
 * scheme or keyword. Not hex strings in general (`aced0005…` is a serialised Java object), not hex words
 * without a digit (`dd`, `ed` are commands), not ten digits or more (`4294967295` is an integer-overflow probe).
 * `test/detection/inert.test.ts` runs every rule, on the reference path, over such values and finds nothing.
 *
 * They are also new on nearly every request, so the clean-value cache never answered for them: each cost a
 * lookup that missed, a full inspection and an insertion that pushed a recurring value out of the cache. The
 * inspector now skips them outright.
 */
const UUID_LENGTH = 36;
const MAX_DIGITS = 9;

export function isInert(value: string): boolean {
  const n = value.length;
  if (n === UUID_LENGTH) return isUuid(value);
  if (n === 0 || n > MAX_DIGITS) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isUuid(value: string): boolean {
  // The last group has room for ten digits between letters (`a4294967295b`): that much is not inert.
  let run = 0;
  for (let i = 0; i < UUID_LENGTH; i++) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return false;
      run = 0;
      continue;
    }
    if (c >= 48 && c <= 57) {
      if (++run > MAX_DIGITS) return false;
      continue;
    }
    run = 0;
    const lower = c | 0x20; // A–F to a–f (and nothing else into that range)
    if (lower < 97 || lower > 102) return false;
  }
  return true;
}
