import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadRuleset } from './ruleset.ts';
import { WafEngine } from './waf.ts';

const waf = new WafEngine(loadRuleset().rules);
after(() => waf.dispose());

test('a reused libddwaf context matches the same attack on every call, across context renewals', () => {
  const attack = { 'query.q': ["1' or '1'='1"] };
  const benign = { 'header.referer': ['https://app.example.com/a?b=c'] };
  for (let i = 0; i < 5000; i++) {
    // Every call is a new request: an earlier match must neither repeat nor hide a later one.
    const hit = waf.run(i % 2 === 0 ? attack : benign, 1_000_000);
    assert.deepEqual(
      hit.matches.map((m) => `${m.ruleId}@${m.location}`),
      i % 2 === 0 ? ['sqli.libinjection@query.q'] : [],
      `call ${i}`,
    );
  }
});

test('a reused context reports only the current request: the same attack twice, then another request', () => {
  const a = { 'query.id': ["1' or '1'='1"] };
  // The same attack twice in a row: libddwaf keeps per-context state for persistent data; ephemeral must not be
  // marked as already matched.
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(
      waf.run(a, 1_000_000).matches.map((m) => `${m.ruleId}@${m.location}`),
      ['sqli.libinjection@query.id'],
    );
  }
  // Request B: another attack at another location, beside benign values; nothing of A may show up in it.
  const b = { 'json.comment': ['<script>alert(1)</script>'], 'header.referer': ['https://x.example/?a=b'] };
  const hit = waf.run(b, 1_000_000).matches;
  assert.deepEqual(
    hit.map((m) => `${m.ruleId}@${m.location}`),
    ['xss.libinjection@json.comment'],
  );
  for (const m of hit) assert.ok(b['json.comment'][0]!.includes(m.value), m.value);
  // And a benign request right after gets nothing at all.
  assert.deepEqual(waf.run({ 'query.id': ['42'], 'json.comment': ['fine (thanks)'] }, 1_000_000).matches, []);
});

test('libddwaf reports a rule once per call; the next call still finds it at the location it left out', () => {
  // One match per rule and call, at the first location (libddwaf's rule semantics, a fresh context alike): run.ts
  // therefore caches no value of a call that matched (test/detection/libinjection-cache.test.ts).
  const hit = waf.run({ 'query.a': ["1' or '1'='1"], 'cookie.b': ["1' or '1'='1"] }, 1_000_000).matches;
  assert.deepEqual(hit.map((m) => m.location), ['query.a']);
  assert.deepEqual(
    waf.run({ 'cookie.b': ["1' or '1'='1"] }, 1_000_000).matches.map((m) => m.location),
    ['cookie.b'],
  );
  assert.deepEqual(waf.run({ 'query.a': ['1'], 'cookie.b': ['x'] }, 1_000_000).matches, []);
});
