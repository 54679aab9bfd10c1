import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { detectionConfigSchema } from '../../src/detection/config.ts';
import { createInspector } from '../../src/detection/inspector.ts';
import { loadRuleset } from '../../src/detection/ruleset.ts';
import { exampleToInput } from './example-request.ts';

// Every rule's positive and negative examples, run through the real inspector at paranoia 4 (all rules on).
const ruleset = loadRuleset();
// A generous time budget: on a loaded CI machine the default 10 ms could cut libinjection off and flake the examples.
const inspector = createInspector(
  detectionConfigSchema.parse({ paranoia: 4, limits: { timeBudgetMicros: 5_000_000 } }),
  {
    ruleset,
  },
);
after(() => inspector.close());

for (const rule of ruleset.rules) {
  describe(`rule ${rule.id}`, () => {
    for (const ex of rule.def.examples.positive) {
      test(`fires on ${JSON.stringify(ex).slice(0, 100)}`, () => {
        const ids = inspector.inspect(exampleToInput(ex)).map((f) => f.ruleId);
        assert.ok(ids.includes(rule.id), `got ${ids.join(', ') || 'nothing'}`);
      });
    }
    for (const ex of rule.def.examples.negative) {
      test(`stays quiet on ${JSON.stringify(ex).slice(0, 100)}`, () => {
        const findings = inspector.inspect(exampleToInput(ex)).filter((f) => f.ruleId === rule.id);
        assert.deepEqual(findings, []);
      });
    }
  });
}
