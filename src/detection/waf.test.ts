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
