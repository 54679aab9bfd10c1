import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { xorshiftInts } from '../../src/core/prng.ts';
import { detectionConfigSchema } from '../../src/detection/config.ts';
import { isInert } from '../../src/detection/inert.ts';
import { createInspector, type InspectionInput } from '../../src/detection/inspector.ts';
import { loadRuleset } from '../../src/detection/ruleset.ts';

// The reference path (every rule on every value its hand-written gate lets through, libinjection on every value
// with a gate character) at paranoia 4: the fast path skips inert values, so nothing may be found in them.
const ruleset = loadRuleset();
const reference = createInspector(
  detectionConfigSchema.parse({ paranoia: 4, limits: { timeBudgetMicros: 50_000_000 } }),
  { ruleset, prefilters: false },
);
// Request-level checks (an over-long parameter name, say) run on every request whatever the values are.
const checks = new Set(ruleset.rules.filter((r) => r.check !== undefined).map((r) => r.id));
after(() => reference.close());

const hex = '0123456789abcdefABCDEF';
function values(): string[] {
  const r = xorshiftInts(7);
  const random = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[r(alphabet.length)]).join('');
  const out = [
    // Addresses attackers write as numbers, without the dots: cloud metadata and loopback (partly; ten digits
    // are not inert), and UUIDs whose first group is a magic number.
    '285203916', '213070643', '0', '00000000', '429496729', '123456789',
    'a14f8202-aadb-4c23-a29a-9b5f1f367684', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-00000a000000',
    'aced0005-7372-0000-0000-00000a000000', 'cafebabe-0000-4000-8000-000000a00000', 'A9FEA9FE-0000-4000-8000-00000000DEAD',
    '00000000-0000-0000-0000-a429496729bb',
  ];
  for (let i = 0; i < 2000; i++) out.push(random('0123456789', 1 + r(9)));
  // Ten digits in a row are not inert (an overflow probe): random UUIDs have them once in a few hundred.
  for (let i = 0; i < 2000; i++) {
    out.push([8, 4, 4, 4, 12].map((n) => random(hex, n)).join('-').replace(/\d{10,}/g, (d) => `${d.slice(0, 9)}a${d.slice(10)}`));
  }
  return out;
}

function placements(v: string): InspectionInput[] {
  const headers = { host: 'api.example.com' };
  const json = Buffer.from(JSON.stringify({ id: v }));
  return [
    { method: 'GET', path: `/api/items/${v}`, rawQuery: `id=${v}&${v}=1`, headers: { ...headers, 'x-request-id': v, cookie: `sid=${v}` }, bodyComplete: true },
    { method: 'POST', path: '/api/items', rawQuery: '', headers: { ...headers, 'content-type': 'application/json' }, body: json, contentType: 'application/json', bodyComplete: true },
  ];
}

test('every value isInert accepts is one no rule finds anything in, wherever it is placed', () => {
  const found: string[] = [];
  for (const v of values()) {
    assert.ok(isInert(v), v);
    for (const req of placements(v)) {
      // The path as a whole (`/api/items/<v>`) is not an inert value and is inspected; only the places holding
      // the value alone count.
      for (const f of reference.inspect(req)) {
        if (f.location !== 'path' && !checks.has(f.ruleId)) found.push(`${v}: ${f.ruleId} in ${f.location}`);
      }
    }
  }
  assert.deepEqual(found, []);
});

test('isInert takes UUIDs and numbers of up to nine digits, nothing else', () => {
  for (const v of ['', '-1', '1 ', '0x1f', '12.5', 'G1', '\u0010', 'a-b', '1--1', 'deadbeef', 'aced00057372', 'dd', '4294967295', '0177000001', 'a14f8202-aadb-4c23-a29a-9b5f1f36768-', 'a14f8202aaadb-4c23-a29a-9b5f1f367684', 'g14f8202-aadb-4c23-a29a-9b5f1f367684', '00000000-0000-0000-0000-a4294967295b']) {
    assert.equal(isInert(v), false, JSON.stringify(v));
  }
  for (const v of ['0', '123456789', 'a14f8202-aadb-4c23-a29a-9b5f1f367684', 'A14F8202-AADB-4C23-A29A-9B5F1F367684']) {
    assert.equal(isInert(v), true, v);
  }
});
