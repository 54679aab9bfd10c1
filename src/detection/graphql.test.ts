import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphqlStrings, isGraphqlDocument } from './graphql.ts';

test('a GraphQL document is an operation keyword or a selection set', () => {
  assert.ok(isGraphqlDocument('query Search($q: String) { search(q: $q) { id } }'));
  assert.ok(isGraphqlDocument('{ search(q: "x") { id } }'));
  assert.ok(isGraphqlDocument('  mutation { login(user: "a") { token } }'));
  assert.ok(!isGraphqlDocument('select * from users'));
  assert.ok(!isGraphqlDocument('querying the docs'));
});

test('string arguments come out unescaped, as the server reads them', () => {
  assert.deepEqual(graphqlStrings('{search(q:"admin\\" or \\"1\\"=\\"1\\"--"){id}}', 10), ['admin" or "1"="1"--']);
  assert.deepEqual(graphqlStrings('{a(x:"line\\nid", y:"\\u0027 or 1=1")}', 10), ['line\nid', "' or 1=1"]);
  assert.deepEqual(graphqlStrings('{a(x:"""block "quoted" \\""" text""")}', 10), ['block "quoted" """ text']);
});

test('comments are skipped, empty strings dropped, and the count is bounded', () => {
  assert.deepEqual(graphqlStrings('# a "comment"\n{a(x:"", y:"v")}', 10), ['v']);
  assert.deepEqual(graphqlStrings('{a(x:"1",y:"2",z:"3")}', 2), ['1', '2']);
  // An unterminated string ends at the line break or the end, never throws.
  assert.deepEqual(graphqlStrings('{a(x:"open\n', 10), ['open']);
  assert.deepEqual(graphqlStrings('{a(x:"\\', 10), ['\\']);
});
