import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Finding } from '../../src/core/finding.ts';
import { detectionConfigSchema } from '../../src/detection/config.ts';
import { createInspector, type InspectionInput } from '../../src/detection/inspector.ts';

// Which side of the challenge line a value lands on, for the rules whose narrowing or `confirm` decides it
// (sqli.boolean-switch, .boolean-fragment, .order-by-probe, .auth-bypass, .error-based, xss.markupless-call,
// ssrf.internal-address, ssti.object-traversal and .config-leak, cmdi.windows, and the rules that lower a path or
// name mentioned in a sentence: traversal.sensitive-file, traversal.dot-dot-path, cmdi.unix-sensitive-path,
// php.superglobal, java.dangerous-class). Rule examples only say whether a
// rule fires; three reviews of these rules found the harm in the severity: prose, spreadsheet formulas, log lines
// and developer code at high or critical, and tool payloads left at medium. Each value is sent as a query
// parameter and as a JSON field; the top severity of any rule counts, protocol checks aside.

/** Benign text within a character or two of an attack shape: below high (risk at most, never a challenge). */
const BENIGN = [
  "or x = 2 or 3",
  "and x = 5;",
  "&& n != 0;",
  "|| x != null;",
  "and 5 > 3 #math",
  "or 5 = 5 in issue #42",
  "and 3 > 2, see #1234",
  "or x = y -- same thing",
  "and 1 = 1 -- always",
  "and 1 < 2\n# Heading",
  "and null is null -- true",
  "or 1 = 1",
  "or I like it",
  "where x = 5, find y",
  "order by 2 -- second column",
  "Order by 2 #urgent",
  "order by 2;",
  "order by 5; pickup at 6",
  "=IF(1=1,\"yes\",\"no\")",
  "=IF(1000>500,\"yes\",\"no\")",
  "=IF(2024=2024,\"this year\",\"other\")",
  "IIf(1=1, \"a\", \"b\")",
  "The check fails if 1024 > 512, which is wrong",
  "if 1000 like 2000, we",
  "score (10 = 10) * 2 points",
  "(100 = 100) + 1",
  "Why does CASE WHEN 1 = 0 THEN 'x' END never fire?",
  "#if (1000 = 1000)",
  "Can you repeat (for orders 10293847, 10293848) the shipment?",
  "repeat(task, 20240131)",
  "I ran (SELECT COUNT(*) FROM orders o, order_items i WHERE i.order_id = o.id) and it is slow",
  "'*'",
  "'-'",
  "\"*\"",
  "`*`",
  "55\" -- 65\"",
  "Bob' #1 fan",
  "it's -- a dash",
  "promise.then(confirm)",
  "items.filter(confirm)",
  "level=alert; host(db1) down",
  "2024-05-01 level=alert, pid(4242) oom-killed",
  "var geval = eval; geval(src);",
  "const ask = confirm; ask('Delete this?')",
  "typeof window['fetch'] === 'function'",
  "window['handle' + name](event)",
  "window[\"jsonp_\" + id](data)",
  "window['on' + 'Click'](e)",
  "new RegExp(/foo/.source + /bar/.source)",
  "(123456).toString(36)",
  "After I press save.Then (alert) shows an error",
  "tel://5551234567",
  "myapp://12345678",
  "//0xFF mask for the low byte",
  "//20240501",
  "//01.02.2024",
  "https://0xabc.de/",
  "https://12345678.com/",
  "{{ user.name|default('system') }}",
  "{{ dump() }}",
  "{{ dump(order.items) }}",
  "for k, v in config.iteritems():\n    print(k, v)",
  "{{ {'options':'system'}|json_encode }}",
  "run (select @@version) to check the server version",
  "Use (SELECT @@IDENTITY) after insert",
  "session timeout /t seems long",
  "echo \"#{dir}/__init__.py\"",
  "{{ items|join(', ') }}",
  "{{ users|map(attribute='email')|list }}",
  "Why does CASE WHEN 100 = 200 THEN 'x' END never fire?",
  "if (1024 != 2048) {",
  "order by 2 -- todo",
  "order by 2 /* name */",
  "const notify = alert; notify('Saved')",
  "window['set' + 'Item']('k', v)",
  // System paths named in short sentences (sentence.ts): support tickets and runbook notes.
  "Check /var/log/syslog for errors",
  "logs are in /var/log/myapp/",
  "Output of cat /etc/hosts attached",
  "I ran tail -f /var/log/nginx/error.log and saw 502s",
  "set ${HOME} to your home directory",
  "uses java.io.File under the hood",
  "Please check /var/log/nginx/error.log",
  "See /var/log/nginx/error.log (line 42) for 502s",
  "Use $_POST instead",
  "java.io.IOException: Permission denied",
  "日志在 /var/log/myapp/ 里面",
];

/** The attack shapes those rules exist for: high or critical wherever they arrive. */
const ATTACKS = [
  " OR 1=1#",
  " OR 1=1 -- -",
  "OR 1=1 --+",
  " AND 1083=1083 AND (1427=1427",
  "||1=1#",
  " OR 1 IS NOT NULL-- ",
  " OR 4721 LIKE 4721 AND 1 LIKE 1",
  " ORDER BY 31337#",
  "ORDER BY 1 DESC#",
  ",IIF(4721=4721,1,1/0)",
  "(4721=4721)*8323",
  ";IF(4721=4721) SELECT 4721 ELSE DROP FUNCTION qZkT",
  "ELT(4721=4721,1)",
  "CASE WHEN 4721 LIKE 4721 THEN 1 ELSE 1/0 END",
  "OR CASE WHEN 4721=4721 THEN 4721 ELSE JSON('qZkT') END",
  "admin' #",
  "admin'#",
  "root' --",
  "admin'-- -",
  "[1].find(alert)",
  "a=alert,a(1)",
  "$=alert,$(1)",
  "top[/al/.source+/ert/.source](1)",
  "top[8680439..toString(30)](1)",
  "top['al'+'ert'](document.domain)",
  "window['alert'](1)",
  "self[atob('YWxlcnQ=')](1)",
  "http://3232235521/",
  "http://0xc0a80014/",
  "http://0300.0250.0.1/",
  "http://[0000::1]:80/",
  "http://0x7f000001./admin",
  "//3232235521/",
  "http://127.0.0.1./",
  "http://7f000001.c0a80001.rbndr.us/",
  "{{app.request.query.filter(0,0,1024,{'options':'system'})}}",
  "{{ config.iteritems() }}",
  "{{ {'a':request|attr(request.args.c)|attr('popen')(request.args.cmd)} }}",
  "{{ '{'~lipsum|attr('_'*2~'glo'~'bals'~'_'*2) }}",
  "{{ {'x':''.__class__} }}",
  "{{dump(app)}}",
  "1 and (select substring(@@version,1,1))='5'",
  "| timeout /T 5",
  "127.0.0.1 & timeout /t 10",
  " OR 1=1;--",
  "(SELECT CASE WHEN (1=1) THEN 1 ELSE 0 END)",
  "x=prompt,x(1)",
  "a=alert,a(/xss/)",
  "window['alert'](/x/)",
  "//167772161:6379",
  'window["alert"](window["document"]["cookie"])',
  " AND 7506=9091 AND (5913=5913",
  "{{app.request.server.all|join(',')}}",
  "{{ '{%'~request|attr(request.args.c)|attr(request.args.d)(request.args.e) }}",
  // The same paths as a value, or beside a command, code or spaced-out script (no two words in a row).
  "/etc/passwd",
  "/var/log/apache2/access.log",
  "cat /etc/passwd",
  "sudo cat /etc/shadow",
  "; cat /etc/passwd; echo done here",
  "/etc/passwd%00 is my file",
  "${HOME}/.ssh/id_rsa",
  "[  ] . sort . call ` ${ alert } 1337 `",
  // Words after code (a review's finds against a looser sentence test): the code around the match still counts.
  "{% include '/etc/passwd' %} is my file",
  "open('/etc/passwd').read() # is my file",
  "include '/etc/passwd'; // is my file",
  "include($_GET['f']); // load the file",
  "new java.io.FileInputStream('/etc/passwd') // read the file",
  "copy myfile from '/etc/passwd';",
  "while(1); // just for fun",
  "console.log(global) /* note for the admin */",
];

const RANK: Record<string, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
const inspector = createInspector(detectionConfigSchema.parse({ limits: { timeBudgetMicros: 5_000_000 } }));
after(() => inspector.close());

const headers = { host: 'api.example.com', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', accept: '*/*' };
const placements: [string, (v: string) => InspectionInput][] = [
  ['query', (v) => ({ method: 'GET', path: '/api/v1/search', rawQuery: `q=${encodeURIComponent(v)}`, headers, bodyComplete: true })],
  [
    'json',
    (v) => ({
      method: 'POST',
      path: '/api/v1/items',
      rawQuery: '',
      headers: { ...headers, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ name: 'widget', note: v })),
      contentType: 'application/json',
      bodyComplete: true,
    }),
  ],
];

const top = (findings: Finding[]): number =>
  findings.filter((f) => f.category !== 'protocol').reduce((m, f) => Math.max(m, RANK[f.severity] ?? 0), 0);
const show = (findings: Finding[]): string =>
  findings.map((f) => `${f.ruleId}:${f.severity}`).join(', ') || 'nothing';

describe('the challenge line of the narrowed rules', () => {
  for (const [where, request] of placements) {
    test(`benign look-alikes stay below high (${where})`, () => {
      const over = BENIGN.map((v) => [v, inspector.inspect(request(v))] as const)
        .filter(([, f]) => top(f) >= RANK.high!)
        .map(([v, f]) => `${JSON.stringify(v)}: ${show(f)}`);
      assert.deepEqual(over, []);
    });
    test(`attack shapes are high or critical (${where})`, () => {
      const under = ATTACKS.map((v) => [v, inspector.inspect(request(v))] as const)
        .filter(([, f]) => top(f) < RANK.high!)
        .map(([v, f]) => `${JSON.stringify(v)}: ${show(f)}`);
      assert.deepEqual(under, []);
    });
  }
});

describe('OAuth redirect URIs (ssrf.internal-address, confirm.notInParams)', () => {
  const loopback = ['http://127.0.0.1:51004/oauth2redirect/provider', 'http://[::1]:61023/cb', 'http://localhost:8080/callback'];
  const authorize = (name: string, v: string): InspectionInput => ({
    method: 'GET',
    path: '/oauth2/authorize',
    rawQuery: `response_type=code&client_id=cli&${name}=${encodeURIComponent(v)}&state=af0ifjsldkj`,
    headers,
    bodyComplete: true,
  });
  const token = (name: string, v: string): InspectionInput => {
    const body = `grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&${name}=${encodeURIComponent(v)}&client_id=cli`;
    return {
      method: 'POST',
      path: '/oauth2/token',
      rawQuery: '',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(body),
      contentType: 'application/x-www-form-urlencoded',
      bodyComplete: true,
    };
  };
  const register = (name: string, v: string): InspectionInput => ({
    method: 'POST',
    path: '/oauth2/register',
    rawQuery: '',
    headers: { ...headers, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ client_name: 'cli', [name]: [v] })),
    contentType: 'application/json',
    bodyComplete: true,
  });

  test('a native app loopback redirect URI (RFC 8252) stays below high wherever OAuth carries it', () => {
    const over = loopback
      .flatMap((v) => [
        authorize('redirect_uri', v),
        token('redirect_uri', v),
        register('redirect_uris', v),
        register('redirectUris', v),
      ])
      .map((r) => inspector.inspect(r))
      .filter((f) => top(f) >= RANK.high!)
      .map(show);
    assert.deepEqual(over, []);
  });

  test('the same addresses in a URI the server fetches, or any other parameter, stay high', () => {
    const under = loopback
      .flatMap((v) => [authorize('request_uri', v), token('url', v), register('jwks_uri', v), register('logo_uri', v)])
      .concat(
        // Not the literal loopback forms a native app registers: an encoded loopback, a private address.
        ['http://2130706433/', 'http://0x7f000001/cb', 'http://127.1/', 'http://10.0.0.5/cb', 'http://127.0.0.1.nip.io/']
          .map((v) => authorize('redirect_uri', v)),
      )
      .map((r) => inspector.inspect(r))
      .filter((f) => top(f) < RANK.high!)
      .map(show);
    assert.deepEqual(under, []);
  });
});
