import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphqlStrings, isGraphqlDocument } from './graphql.ts';

const strings = (doc: string, max = 10) => graphqlStrings(doc, max).values;

test('a GraphQL document is an operation keyword or a selection set, after ignored tokens', () => {
  assert.ok(isGraphqlDocument('query Search($q: String) { search(q: $q) { id } }'));
  assert.ok(isGraphqlDocument('{ search(q: "x") { id } }'));
  assert.ok(isGraphqlDocument('  mutation { login(user: "a") { token } }'));
  // A review: a leading comment (GraphiQL's header), a comma, padding, a comment ended by CR.
  assert.ok(isGraphqlDocument('# Welcome to GraphiQL\n{search(q:"x"){id}}'));
  assert.ok(isGraphqlDocument(',{search(q:"x"){id}}'));
  assert.ok(isGraphqlDocument(`${' '.repeat(200)}{search(q:"x"){id}}`));
  assert.ok(isGraphqlDocument(`query Q${' '.repeat(600)}{search(q:"x"){id}}`));
  assert.ok(isGraphqlDocument('# a\r{search(q:"x"){id}}'));
  assert.ok(!isGraphqlDocument('select * from users'));
  assert.ok(!isGraphqlDocument('querying the docs'));
  // A JSON filter in a `query` parameter is not GraphQL.
  assert.ok(!isGraphqlDocument('{"path":"../shared/file.txt"}'));
});

test('string arguments come out unescaped, as the server reads them', () => {
  assert.deepEqual(strings('{search(q:"admin\\" or \\"1\\"=\\"1\\"--"){id}}'), ['admin" or "1"="1"--']);
  assert.deepEqual(strings('{a(x:"line\\nid", y:"\\u0027 or 1=1")}'), ['line\nid', "' or 1=1"]);
  assert.deepEqual(strings('{a(x:"\\u{7c} sleep 10", y:"\\u{1F600}")}'), ['| sleep 10', '😀']);
  assert.deepEqual(strings('{a(x:"""block "quoted" \\""" text""")}'), ['block "quoted" """ text']);
});

test('comments are skipped (to a CR or LF), ids and empty strings dropped, and a cut says so', () => {
  assert.deepEqual(strings('# a "comment"\n{a(x:"", y:"v w")}'), ['v w']);
  assert.deepEqual(strings('{ a # x\rsearch(q:"1 or 1=1"){id}}'), ['1 or 1=1']);
  assert.deepEqual(strings('{nodes(ids:["gid-1","gid-2"]) {id}}'), []);
  assert.deepEqual(graphqlStrings('{a(x:"1 1",y:"2 2",z:"3 3")}', 2), { values: ['1 1', '2 2'], more: true });
  // An unterminated string ends at the line break or the end, never throws.
  assert.deepEqual(strings('{a(x:"open door\n'), ['open door']);
  assert.deepEqual(strings('{a(x:"\\'), ['\\']);
});
