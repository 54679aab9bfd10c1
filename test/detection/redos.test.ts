import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRuleset } from '../../src/detection/ruleset.ts';
import { applyTransform } from '../../src/detection/variants.ts';

// Attackers control every inspected byte, up to the 32 KiB value cap. A regex that backtracks quadratically on
// a long run of one character (CWE-1333, ReDoS) would stall the event loop for seconds — beyond any time budget,
// which is only checked between values. Every rule must stay near-linear on such input.
const SEEDS = [
  'a',
  ' ',
  '\n',
  '(',
  "'",
  '<',
  '<a ',
  '$(',
  '${',
  '{{',
  '%',
  '/',
  '../',
  '\\',
  '`',
  'select ',
  '&#',
  ';',
  // Multi-character seeds aimed at rules with two bounded classes in a row (`\{[^}]{0,256}[(*#@][^}]{0,256}\}` was
  // quadratic on "'+{(" repeated) and at this session's other new shapes.
  "'+{(",
  'a) & (',
  'char(,',
  '1 order by 1,',
  '$((',
  '| filter(',
  '\'"(',
  // An unbounded digit run in an unanchored branch (`\d{3,}\.`) rescanned 32 KB of digits from every position:
  // 52 ms at 8 KiB, 831 ms at 32 KiB. And the shapes of the rules that came with it.
  '1',
  '1.',
  '{{ |',
  "top['a'+",
  ' or 1',
  '0x',
  'a=alert,',
  // Shapes of session 12's rules: a Razor `@{`, Twig `{%`, a constructor chain, a quote break-out, a line break
  // before a header (`@\{?[^{}\n]{0,256}?System` rescanned 256 characters from every `@`: 45-82 ms at 32 KiB).
  '@{',
  '{% block ',
  '.constructor(',
  "';",
  '\r\nX-a:',
];
const LENGTH = 32_768;
const SHORT = 4096;
/** Below this a rule is fast enough at the value cap whatever its growth. */
const FLOOR_MS = 25;
/** 8x the input: linear work grows ~8x, quadratic ~64x; anything past 24x is growing faster than linear. */
const GROWTH_MAX = 24;
/** Whatever the growth, a single regex over one value must not take this long. */
const CEILING_MS = 400;

const cpuMs = (f: () => void): number => {
  const c0 = process.cpuUsage();
  f();
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
};

const input = (seed: string, length: number, transforms: Parameters<typeof applyTransform>[1][]): string => {
  let text = `${seed.repeat(Math.ceil(length / seed.length))}!`;
  for (const t of transforms) text = applyTransform(text, t);
  return text;
};

// Growth, not a time limit, is the test: a shared CI machine can be slow, but it cannot turn 8x the input into
// 24x the time. A case is re-measured before it counts, so one descheduled run does not fail the suite.
test('every rule regex grows linearly on 32 KiB (the value cap) of repeated adversarial characters', () => {
  const slow: string[] = [];
  for (const rule of loadRuleset().rules) {
    if (rule.regex === undefined) continue;
    const regex = rule.regex;
    for (const seed of SEEDS) {
      const long = input(seed, LENGTH, [...rule.transforms]);
      let ms = cpuMs(() => regex.test(long));
      if (ms <= FLOOR_MS) continue;
      ms = Math.min(ms, cpuMs(() => regex.test(long)));
      const short = input(seed, SHORT, [...rule.transforms]);
      const shortMs = Math.max(0.5, Math.min(cpuMs(() => regex.test(short)), cpuMs(() => regex.test(short))));
      if (ms > CEILING_MS || (ms > FLOOR_MS && ms / shortMs > GROWTH_MAX))
        slow.push(`${rule.id} on ${JSON.stringify(seed)}: ${ms.toFixed(0)} ms at 32 KiB, ${shortMs.toFixed(1)} ms at 4 KiB`);
    }
  }
  assert.deepEqual(slow, []);
});

// A short prefix, then a long run: `\$[a-z_]\w*(?:\s|//[^\n]{0,256}|#…)+\(` split `$a` + 40 `/` into comments in
// exponentially many ways (1.1 s at 42 characters, past 20 s at 62), which one repeated seed never builds.
test('no rule regex backtracks exponentially on a short prefix and a run of comment starts', () => {
  const slow: string[] = [];
  for (const [prefix, unit] of [
    ['$a', '/'],
    ['$a', '#'],
    ['$a', ' //'],
    ['x', '/*'],
    ['$a', '/**/'],
    ['$a', '/*/ '],
  ] as const) {
    const text = prefix + unit.repeat(Math.ceil(64 / unit.length));
    for (const rule of loadRuleset().rules) {
      if (rule.regex === undefined) continue;
      let t = text;
      for (const tr of rule.transforms) t = applyTransform(t, tr);
      const ms = cpuMs(() => (rule.split ? (rule.split.atStart.exec(t) ?? rule.split.elsewhere.exec(t)) : rule.regex!.exec(t)));
      if (ms > 50) slow.push(`${rule.id} on ${JSON.stringify(text.slice(0, 12))}…: ${ms.toFixed(0)} ms`);
    }
  }
  assert.deepEqual(slow, []);
});
