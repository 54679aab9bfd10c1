import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleSchema } from './rule-schema.ts';

const rule = (confirm: object) => ({
  id: 'x.y',
  severity: 'high',
  description: 'a test rule of ten characters',
  regex: 'a',
  confirm,
  examples: { positive: ['a'] },
});

test('a confirm block needs something to corroborate with: a regex, notInMarkdownCode, notInDocument, notInSentence or notInParams', () => {
  assert.equal(ruleSchema.safeParse(rule({ otherwise: 'medium' })).success, false);
  for (const ok of [{ regex: 'b' }, { notInMarkdownCode: true }, { notInDocument: true }, { notInSentence: true }, { notInParams: { names: ['redirect_uri'] } }])
    assert.equal(ruleSchema.safeParse(rule({ ...ok, otherwise: 'medium' })).success, true, JSON.stringify(ok));
});

test('notInParams names parameters, not locations', () => {
  assert.equal(ruleSchema.safeParse(rule({ notInParams: { names: ['query.redirect_uri'] }, otherwise: 'medium' })).success, false);
  assert.equal(ruleSchema.safeParse(rule({ notInParams: { names: [] }, otherwise: 'medium' })).success, false);
});
