import assert from 'node:assert/strict';
import { test } from 'node:test';
import { behaviourConfigSchema } from '../config.ts';
import { MemoryCounterStore } from '../counter-store.ts';
import type { RequestView } from '../request-view.ts';
import { RouteAlerts } from '../route-alerts.ts';
import { createFlood } from './flood.ts';

const view = (now: number, ip: string): RequestView => ({
  now,
  method: 'GET',
  path: '/api/products',
  route: 'GET /api/products',
  pageDepth: 0,
  ip: `ip:${ip}`,
  isLogin: false,
  isEnumeration: false,
  acceptsHtml: false,
  binding: 'ua:x',
});

function setup() {
  const config = behaviourConfigSchema.parse({});
  const alerts = new RouteAlerts();
  return { flood: createFlood({ config, store: new MemoryCounterStore(), alerts }), alerts };
}

test('per-IP ceilings: over the ceiling is medium, over twice the ceiling is high', () => {
  const { flood } = setup();
  const severities: string[] = [];
  for (let i = 0; i < 401; i++) {
    const out: Parameters<NonNullable<typeof flood.profile>>[1] = [];
    flood.profile!(view(1_000_000 + i, '192.0.2.1'), out);
    if (i === 199 || i === 200 || i === 400) severities.push(out[0]?.severity ?? 'none');
  }
  assert.deepEqual(severities, ['none', 'medium', 'high']);
});

test('a route busy from the start is not a flood; a surge over a learned baseline raises a route alert', () => {
  const { flood, alerts } = setup();
  let t = 0;
  // Cold start with heavy traffic from many clients: no baseline yet, no alert.
  for (let w = 0; w < 3; w++)
    for (let i = 0; i < 600; i++) flood.profile!(view((t = w * 10_000 + i), `10.0.${i % 250}.1`), []);
  assert.equal(alerts.active('GET /api/products', t), false);
  // Five quiet minutes at 20 requests per 10 s teach the baseline; then a 30× surge.
  for (let w = 3; w < 40; w++)
    for (let i = 0; i < 20; i++) flood.profile!(view((t = w * 10_000 + i * 400), `10.0.${i}.2`), []);
  for (let i = 0; i < 600; i++) flood.profile!(view((t = 40 * 10_000 + i * 10), `10.1.${i % 250}.${1 + (i % 9)}`), []);
  assert.equal(alerts.active('GET /api/products', t), true);
});
