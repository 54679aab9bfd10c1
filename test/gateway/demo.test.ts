import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startCliGateway } from '../helpers/cli.ts';

test('portcullis demo (what npm start runs) serves the demo shop through the gateway and blocks an attack', async () => {
  const gw = await startCliGateway(['--demo-port', '0'], { command: 'demo' });
  try {
    assert.match(gw.stderr(), /demo API\s+http:\/\/127\.0\.0\.1:\d+/);
    assert.match(gw.stderr(), /try:\n\s+curl /);
    const products = await fetch(`${gw.url}/api/products?page=2`);
    assert.equal(products.status, 200);
    assert.equal(((await products.json()) as { page: number }).page, 2);
    const login = await fetch(`${gw.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'user1', password: 'wrong' }),
    });
    assert.equal(login.status, 401);
    const attack = await fetch(`${gw.url}/api/search?q=1'%20UNION%20SELECT%20password%20FROM%20users--`);
    assert.equal(attack.status, 403);
    assert.match(((await attack.json()) as { incident: string }).incident, /^[0-9a-z]{20}$/);
  } finally {
    await gw.stop();
  }
});
