import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { type ProtectedStack, startProtectedStack } from '../../src/sim/stack.ts';

// Every browser navigation is challenged with a proof of work (thresholds at 0), solved by the page's own script
// in Debian's Chromium, and checked server-side before the request reaches the demo API.
let stack: ProtectedStack;
let browser: Browser;

before(async () => {
  stack = await startProtectedStack({
    behaviour: {
      policy: { watch: 0, challenge: 0, tarpit: 1000, block: 2000 },
      challenge: { powFromRisk: 0, powMinDifficulty: 12, powMaxDifficulty: 12 },
    },
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

function get(
  url: string,
  headers: Record<string, string>,
  localAddress = '127.0.0.1',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, localAddress }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('Chromium solves the proof of work and reaches the API; the token is checked server-side', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const first = await page.goto(`${stack.url}/api/products/3`);
  assert.equal(first?.status(), 403);
  // Functions passed to the page run in the browser; as strings they need no DOM types here.
  await page.waitForFunction(`(document.body.textContent || '').includes('"id":3')`, undefined, { timeout: 20_000 });
  const cookies = await context.cookies();
  const pow = cookies.find((c) => c.name === '__pc_pow');
  assert.ok(pow, 'the page stored its answer');
  const ua = (await page.evaluate('navigator.userAgent')) as string;
  const accept = 'text/html,*/*';

  // The same answer from the same client keeps passing without a new challenge.
  const again = await get(`${stack.url}/api/products/4`, { cookie: `__pc_pow=${pow.value}`, 'user-agent': ua, accept });
  assert.equal(again.status, 200);

  // Replayed from another address or another client stack, it is worthless.
  const elsewhere = await get(
    `${stack.url}/api/products/4`,
    { cookie: `__pc_pow=${pow.value}`, 'user-agent': ua, accept },
    '127.0.0.2',
  );
  assert.equal(elsewhere.status, 403);
  const otherTool = await get(`${stack.url}/api/products/4`, {
    cookie: `__pc_pow=${pow.value}`,
    'user-agent': 'curl/8',
    accept,
  });
  assert.equal(otherTool.status, 403);

  // A wrong answer for a genuine token is refused too.
  const token = pow.value.slice(0, pow.value.lastIndexOf('.'));
  const wrong = await get(`${stack.url}/api/products/4`, {
    cookie: `__pc_pow=${token}.zzzzzz`,
    'user-agent': ua,
    accept,
  });
  assert.equal(wrong.status, 403);
  assert.ok(!/risk|behaviour|finding|invalid/i.test(wrong.body), 'the response never says why');
  await context.close();
});
