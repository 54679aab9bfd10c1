import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { generateBenignTraffic } from '../../scripts/benign-traffic.ts';
import { caseToInput } from '../../scripts/corpus-case.ts';
import { detectionConfigSchema } from '../../src/detection/config.ts';
import { createInspector } from '../../src/detection/inspector.ts';

const inspector = createInspector(detectionConfigSchema.parse({ limits: { timeBudgetMicros: 5_000_000 } }));
after(() => inspector.close());

test('realistic benign API traffic is blocked at most 0.1 % of the time at paranoia 1', () => {
  const cases = generateBenignTraffic(3000, 11);
  const blocked = cases.filter((c) => inspector.inspect(caseToInput(c)).some((f) => f.severity === 'critical'));
  const detail = blocked
    .slice(0, 3)
    .map(
      (c) => `${c.id}: ${JSON.stringify(inspector.inspect(caseToInput(c)).filter((f) => f.severity === 'critical'))}`,
    );
  assert.ok(blocked.length <= 3, `${blocked.length} of ${cases.length} blocked:\n${detail.join('\n')}`);
});

test('the generator is deterministic for a seed', () => {
  assert.deepEqual(generateBenignTraffic(20, 5), generateBenignTraffic(20, 5));
});
