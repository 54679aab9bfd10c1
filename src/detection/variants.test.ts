import assert from 'node:assert/strict';
import { test } from 'node:test';
import { variantsOf } from './variants.ts';

test('ideographic full stops in a URL host are read as dots, as URL parsers read them', () => {
  assert.ok(variantsOf('http://127。0。0。1/admin', 'query').includes('http://127.0.0.1/admin'));
  assert.ok(variantsOf('//10｡0｡0｡5:6379/', 'query').includes('//10.0.0.5:6379/'));
  // Only the authority: the path and prose keep theirs.
  assert.ok(variantsOf('http://a。b/。。/x', 'query').includes('http://a.b/。。/x'));
  assert.deepEqual(variantsOf('见 http://127.0.0.1/ 。谢谢。', 'query'), ['见 http://127.0.0.1/ 。谢谢。']);
  assert.deepEqual(variantsOf('好。。。', 'query'), ['好。。。']);
});

test('positional printf placeholders are no stray percent signs', () => {
  assert.deepEqual(variantsOf('Copied %1$s of %2$s (%3$s/s)', 'query'), ['Copied %1$s of %2$s (%3$s/s)']);
  assert.ok(variantsOf('%S%E%L%E%C%T 1', 'query').includes('SELECT 1'));
});
