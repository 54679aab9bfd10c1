import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { detectionConfigSchema } from './config.ts';
import { createInspector } from './inspector.ts';
import { maskStackTrace } from './stack-trace.ts';

test('frames and exception type names are blanked, the rest of the text kept in place', () => {
  const trace =
    'java.lang.IllegalStateException: pool closed\n\tat java.base/java.util.concurrent.ThreadPoolExecutor.execute(ThreadPoolExecutor.java:1357)\n' +
    '\tat java.io.FileInputStream.open0(Native Method)\n\tat com.example.App$1.run(Unknown Source)\n\tat MainKt.main(Main.kt:3)';
  const masked = maskStackTrace(trace)!;
  assert.equal(masked.length, trace.length);
  assert.match(masked, /^ +: pool closed\n\t +\n\t +\n\t +\n\t +$/);
  const type = 'org.hibernate.exception.SQLGrammarException';
  assert.equal(maskStackTrace(`Caused by: ${type}: bad`), `Caused by: ${' '.repeat(type.length)}: bad`);
});

test('near-names are linear: found from their ending, not tried at every position', () => {
  // A seventh review: 128 KB of `$a$a….` took 600 ms in a regex over every position.
  const long = `java.lang.Runtime ${`${'$a'.repeat(50)}.`.repeat(1300)}`;
  const t0 = process.hrtime.bigint();
  maskStackTrace(long);
  maskStackTrace(`${'a.'.repeat(60_000)}Exception`);
  // An eighth review: each `Error` read 300 characters back (7 ms on 32 KB).
  maskStackTrace(`java.lang.Runtime$Error${'.Error'.repeat(5300)}%41`);
  // A ReDoS guard, not a speed target.
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 100);
});

test('nothing to mask: undefined, so callers skip a second match', () => {
  for (const text of ['java.lang.Runtime', 'at java.lang.Runtime.exec(cmd)', 'at x.y(a.jav)', 'no dots here', 'java.lang.Errors'])
    assert.equal(maskStackTrace(text), undefined, text);
});

const inspector = createInspector(detectionConfigSchema.parse({}));
after(() => inspector.close());
const severityOf = (ruleId: string, value: string): string | undefined =>
  inspector
    .inspect({
      method: 'POST',
      path: '/api/v1/crash-reports',
      rawQuery: '',
      headers: { host: 'api.example.com', 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ trace: value })),
      contentType: 'application/json',
      bodyComplete: true,
    })
    .find((f) => f.ruleId === ruleId)?.severity;

test('a Java stack trace names java.lang and java.io classes where code failed: medium, not high', () => {
  for (const trace of [
    'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null\n\tat com.example.OrderService.total(OrderService.java:42)',
    'Exception in thread "main" java.lang.IllegalStateException: pool closed\n\tat java.base/java.lang.Thread.run(Thread.java:833)',
    'java.io.UncheckedIOException: closed\n\tat java.io.FileInputStream.readBytes(Native Method)\n\tat java.lang.reflect.Method.invoke(Method.java:568)',
  ])
    assert.equal(severityOf('java.dangerous-class', trace), 'medium', trace);
});

test('a class named outside the frames, or a frame-shaped call that runs code, keeps its severity', () => {
  assert.equal(severityOf('java.dangerous-class', 'at x.Y.z(Y.java:1) java.lang.Runtime'), 'high');
  assert.equal(severityOf('java.dangerous-class', 'java.lang.NullPointerException java.lang.ProcessBuilder'), 'high');
  assert.equal(severityOf('java.dangerous-class', 'at java.lang.Runtime.exec(id)'), 'high');
  assert.equal(severityOf('java.code-execution', 'at T(java.lang.Runtime).getRuntime().exec(Main.java:1)'), 'critical');
});

test('an access log line quotes its request line: medium; a request line that starts a line is high', () => {
  assert.equal(
    severityOf('crlf.request-line-in-value', '10.0.0.5 - - [10/Oct/2023:13:55:36 -0700] "GET /wp-login.php HTTP/1.1" 404 209 "-" "Mozilla/5.0"'),
    'medium',
  );
  assert.equal(severityOf('crlf.request-line-in-value', 'x\r\nGET /admin HTTP/1.1\r\nHost: internal\r\n\r\n'), 'high');
  assert.equal(severityOf('crlf.request-line-in-value', '"GET /a HTTP/1.1"\r\nPOST /admin HTTP/1.1\r\n'), 'high');
  // A logfmt message quotes only after the version: no request line either (an eighth review).
  assert.equal(severityOf('crlf.request-line-in-value', 'level=warn msg="upstream closed: GET /api/orders HTTP/1.1" code=502'), 'medium');
  // A seventh review: in a desync the byte before the method is the previous body's last, and may be a quote.
  assert.equal(severityOf('crlf.request-line-in-value', 'ba"GET /admin HTTP/1.1\r\nHost: localhost\r\n\r\n'), 'high');
});
