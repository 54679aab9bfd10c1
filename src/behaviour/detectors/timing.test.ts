import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectorKit } from './test-kit.ts';
import { createTiming } from './timing.ts';

test('machine timing, case by case (all low severity: timing alone never blocks)', () => {
  const cases: [name: string, gap: (i: number) => number, expected: string | undefined][] = [
    ['a scheduler every 500 ms', () => 500, 'behaviour.timing-regular'],
    ['a scheduler with 2 % jitter', (i) => 1000 + ((i * 37) % 40) - 20, 'behaviour.timing-regular'],
    ['a burst with no think time', (i) => 5 + (i % 3), 'behaviour.no-think-time'],
    ['a person reading', (i) => 1500 + ((i * 7919) % 6000), undefined],
  ];
  for (const [name, gap, expected] of cases) {
    const kit = detectorKit(createTiming);
    let last: ReturnType<typeof kit.findings> = [];
    for (let i = 0; i < 60; i++) {
      kit.clock.advance(gap(i));
      last = kit.findings({ ip: '192.0.2.50', path: '/api/orders', stack: 'sdk' });
    }
    assert.equal(last[0]?.ruleId, expected, name);
    if (expected !== undefined) assert.equal(last[0]?.severity, 'low', name);
  }
});
