import assert from 'node:assert/strict';
import { test } from 'node:test';
import { behaviourConfigSchema } from './config.ts';
import { actionFor, blockTtlMs, checkPolicy, checkWeakCap, powDifficulty, weakCapOf } from './policy.ts';

const config = behaviourConfigSchema.parse({});

test('risk maps to graded actions at the default thresholds', () => {
  const cases: [risk: number, action: string][] = [
    [0, 'allow'],
    [14.9, 'allow'],
    [15, 'watch'],
    [40, 'challenge'],
    [65, 'tarpit'],
    [80, 'block'],
    [500, 'block'],
  ];
  for (const [risk, action] of cases) assert.equal(actionFor(risk, config.policy), action, `risk ${risk}`);
});

test('block TTLs escalate for repeat offenders up to the cap', () => {
  const minutes = [0, 1, 2, 3, 4].map((n) => blockTtlMs(n, config.policy) / 60_000);
  assert.deepEqual(minutes, [10, 40, 160, 640, 1440]);
});

test('misordered thresholds are reported with what to do', () => {
  assert.deepEqual(checkPolicy(config.policy), []);
  const bad = behaviourConfigSchema.parse({ policy: { tarpit: 90 } }).policy;
  assert.deepEqual(checkPolicy(bad), ['behaviour.policy.block: must be ≥ policy.tarpit (90), got 80']);
});

test('PoW difficulty scales with risk across the challenge band', () => {
  const d = [40, 60, 80, 99].map((r) => powDifficulty(r, config.policy, config.challenge));
  assert.deepEqual(d, [12, 16, 20, 20]);
});

test('the weak-evidence cap follows the challenge line unless set, and set at or above it is refused', () => {
  assert.equal(weakCapOf(undefined, config.policy), 30);
  assert.equal(weakCapOf(undefined, { ...config.policy, challenge: 0 }), 0);
  assert.equal(weakCapOf(12, config.policy), 12);
  assert.deepEqual(checkWeakCap(undefined, { ...config.policy, challenge: 0 }), []);
  assert.deepEqual(checkWeakCap(39, config.policy), []);
  const issues = checkWeakCap(40, config.policy);
  assert.equal(issues.length, 1);
  assert.match(issues[0]!, /weakCap: must be below policy\.challenge \(40\), got 40; .*ruleWeights/);
});
