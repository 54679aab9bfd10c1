import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdminRequest, AdminRoute } from '../admin/route.ts';
import { ManualClock } from '../core/clock.ts';
import { ActorGraph } from './actor-graph.ts';
import { actorRoutes } from './actor-routes.ts';
import { facetFor } from './facet-for.ts';
import { createFacetHasher } from './salt.ts';

const hash = createFacetHasher(Buffer.from('route-test-salt-route-test-salt'));
const graph = new ActorGraph({ capBytes: 1 << 20, halfLifeMs: 3_600_000, maxLinksPerFacet: 8, findingsPerFacet: 4 });
const clock = new ManualClock();
const routes = actorRoutes(graph, clock, { facetFor: (s, v, i) => facetFor(hash, s, v, i) });

function call(route: AdminRoute, params: Record<string, string>, body?: unknown) {
  const req = { params, json: async () => body } as unknown as AdminRequest;
  return route.handler(req) as Promise<{ status: number; json: Record<string, unknown> }>;
}

test('GET /api/v1/actors/:facet shows linked facets, counters and 404s an unknown facet', async () => {
  graph.observe(['ip:203.0.113.7', 'tls:t13d_abc', 'principal:k-1'], clock.now());
  const get = routes.find((r) => r.method === 'GET')!;
  const res = await call(get, { facet: 'ip:203.0.113.7' });
  assert.equal(res.status, 200);
  assert.equal(res.json.requests, 1);
  assert.deepEqual((res.json.linked as { facet: string }[]).map((l) => l.facet).sort(), [
    'principal:k-1',
    'tls:t13d_abc',
  ]);
  assert.equal((await call(get, { facet: 'ip:198.51.100.1' })).status, 404);
  assert.equal((await call(get, { facet: 'nonsense' })).status, 400);
});

test('GET /api/v1/actors reports the facets kept and the estimated bytes the memory cap bounds', async () => {
  const summary = routes.find((r) => r.method === 'GET' && r.path === '/api/v1/actors')!;
  const before = (await call(summary, {})).json;
  graph.observe(['ip:192.0.2.99', 'tls:t13d_summary'], clock.now());
  const after = (await call(summary, {})).json;
  assert.equal(after.facets, (before.facets as number) + 2);
  assert.equal(after.facets, graph.size);
  assert.ok((after.estimatedBytes as number) > (before.estimatedBytes as number));
  assert.equal(after.evicted, 0);
});

test('POST /api/v1/actors/facet-for maps a username to the account facet the extractor produces', async () => {
  const post = routes.find((r) => r.method === 'POST')!;
  const res = await call(post, {}, { source: 'account', value: ' Alice@Example.com' });
  assert.equal(res.json.facet, facetFor(hash, 'account', 'alice@example.com'));
  assert.equal(res.json.kind, 'account');
  assert.ok(!JSON.stringify(res.json).toLowerCase().includes('alice'));
  assert.equal((await call(post, {}, { source: 'password', value: 'x' })).status, 400);
});
