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
];
const LENGTH = 8192;
const LIMIT_MS = 60;

test('every rule regex runs in bounded time on 8 KiB of repeated adversarial characters', () => {
  const slow: string[] = [];
  for (const rule of loadRuleset().rules) {
    if (rule.regex === undefined) continue;
    for (const seed of SEEDS) {
      let text = `${seed.repeat(Math.ceil(LENGTH / seed.length))}!`;
      for (const t of rule.transforms) text = applyTransform(text, t);
      const c0 = process.cpuUsage();
      rule.regex.test(text);
      const d = process.cpuUsage(c0);
      const ms = (d.user + d.system) / 1000;
      if (ms > LIMIT_MS) slow.push(`${rule.id} on ${JSON.stringify(seed)}: ${ms.toFixed(0)} ms`);
    }
  }
  assert.deepEqual(slow, []);
});
