import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsLibinjection } from './waf-gate.ts';

const CASES: [value: string, needs: boolean][] = [
  ['plain words only', false],
  ["O'Brien and don't", false],
  ["1' or '1'='1", true],
  ['<b>bold</b>', true],
  ['call +1 (555) 123-4567', true],
  ['https://app.example.com/orders/12?tab=billing&page=2', false],
  ['tab=billing&page=2', false],
  ['https://x.example/?id=1+or+1=1', true],
  ['https://x.example/?id=1%20or%201=1', true],
  ['https://x.example/?q=%27%20or%201', true],
  ["var=a'or'a", true],
  ['https://x.example/a=b?c=d', true],
  ['a=1&b', false],
  ['a=1&b%3D2', true],
  ['t=1700000000,v1=abcdef', true],
  ['https://x.example/#top', true],
  ['x=1--', true],
  ['x=1 y=2', true],
];

test('libinjection gets values with SQL or HTML structure, and form-shaped values only when a part has it', () => {
  for (const [value, needs] of CASES) assert.equal(needsLibinjection(value), needs, value);
});
