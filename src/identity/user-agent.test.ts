import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHROME_UA, FIREFOX_UA, SAFARI_UA } from '../../test/identity/stack-headers.ts';
import { parseUserAgent } from './user-agent.ts';

test('browsers and libraries are recognised with family, engine, version and device', () => {
  const cases: [string, string, string, number | undefined, string][] = [
    [CHROME_UA, 'chrome', 'chromium', 131, 'desktop'],
    [FIREFOX_UA, 'firefox', 'gecko', 133, 'desktop'],
    [SAFARI_UA, 'safari', 'webkit', 18, 'desktop'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'edge',
      'chromium',
      131,
      'desktop',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'safari',
      'webkit',
      17,
      'mobile',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
      'chrome',
      'chromium',
      131,
      'mobile',
    ],
    ['python-requests/2.32.3', 'python-requests', 'library', 2, 'unknown'],
    ['Go-http-client/1.1', 'go', 'library', 1, 'unknown'],
    ['okhttp/4.12.0', 'okhttp', 'library', 4, 'unknown'],
    ['curl/7.88.1', 'curl', 'library', 7, 'unknown'],
    ['node', 'node', 'library', undefined, 'unknown'],
  ];
  for (const [ua, family, engine, version, device] of cases) {
    const c = parseUserAgent(ua);
    assert.equal(c.family, family, ua);
    assert.equal(c.engine, engine, ua);
    assert.equal(c.version, version, ua);
    assert.equal(c.device, device, ua);
  }
});

test('attack tools are named, automation and crawlers flagged', () => {
  assert.equal(parseUserAgent('sqlmap/1.8.2#stable (https://sqlmap.org)').attackTool, 'sqlmap');
  assert.equal(parseUserAgent('Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)').attackTool, 'nikto');
  assert.equal(
    parseUserAgent('Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)').attackTool,
    'nmap',
  );
  assert.equal(parseUserAgent('Fuzz Faster U Fool v2.1.0-dev').attackTool, 'content-discovery');
  assert.equal(parseUserAgent('ffuf/2.1.0').attackTool, 'content-discovery');
  assert.equal(parseUserAgent('python-requests/2.32.3').automation, true);
  assert.equal(parseUserAgent(CHROME_UA.replace('Chrome/', 'HeadlessChrome/')).automation, true);
  assert.equal(parseUserAgent(CHROME_UA).automation, undefined);
  const g = parseUserAgent('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)');
  assert.equal(g.crawler, 'googlebot');
  assert.equal(g.device, 'bot');
  assert.equal(parseUserAgent(CHROME_UA).crawler, undefined);
});

test('a missing or empty UA is family none', () => {
  assert.equal(parseUserAgent(undefined).family, 'none');
  assert.equal(parseUserAgent('  ').family, 'none');
});
