import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdminRequest } from '../../src/admin/route.ts';
import { behaviourRoutes } from '../../src/behaviour/admin-routes.ts';
import { createHarness, send } from '../../src/behaviour/engine-harness.ts';

function call(routes: ReturnType<typeof behaviourRoutes>, path: string, params: Record<string, string>) {
  const route = routes.find((r) => r.path === path)!;
  return route.handler({
    params,
    method: 'GET',
    path,
    query: new URLSearchParams(),
    headers: {},
    actor: 't',
  } as unknown as AdminRequest);
}

test('GET /api/v1/risk/:facet explains a facet; a malformed facet is a 400 that says how to write one', async () => {
  const h = createHarness();
  send(h, { ip: '192.0.2.5', path: '/.env' }, 404);
  const routes = behaviourRoutes(h.engine);
  const ok = (await call(routes, '/api/v1/risk/:facet', { facet: 'ip:192.0.2.5' })) as {
    status: number;
    json: { risk: number };
  };
  assert.equal(ok.status, 200);
  assert.equal(ok.json.risk, 45);
  const bad = (await call(routes, '/api/v1/risk/:facet', { facet: 'nonsense' })) as {
    status: number;
    json: { message: string };
  };
  assert.equal(bad.status, 400);
  assert.match(bad.json.message, /kind:value/);
  const stats = (await call(routes, '/api/v1/behaviour', {})) as { status: number; json: { families: string[] } };
  assert.ok(stats.json.families.includes('stuffing'));
});
