import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Facet } from '../core/facet.ts';
import { ActorGraph } from './actor-graph.ts';

const HOUR = 3_600_000;
const graph = (capBytes = 1 << 30, maxLinksPerFacet = 16) =>
  new ActorGraph({ capBytes, halfLifeMs: HOUR, maxLinksPerFacet, findingsPerFacet: 3 });

test('facets seen together are linked both ways, ja3 left out', () => {
  const g = graph();
  g.observe(['ip:1.2.3.4', 'tls:t13d_x', 'ja3:abc', 'principal:k-1'], 0);
  assert.deepEqual([...g.linked('ip:1.2.3.4', 0)].sort(), ['principal:k-1', 'tls:t13d_x']);
  assert.deepEqual([...g.linked('principal:k-1', 0)].sort(), ['ip:1.2.3.4', 'tls:t13d_x']);
  assert.deepEqual(g.linked('ja3:abc', 0), []);
});

test('links decay with the half-life and repeated pairs rank first', () => {
  const g = graph();
  g.observe(['tls:a', 'ip:1.1.1.1'], 0);
  g.observe(['tls:a', 'ip:2.2.2.2'], 0);
  g.observe(['tls:a', 'ip:2.2.2.2'], 0);
  assert.deepEqual(g.linked('tls:a', 0), ['ip:2.2.2.2', 'ip:1.1.1.1']);
  const w = g.info('tls:a', HOUR)!.linked.find((l) => l.facet === 'ip:2.2.2.2')!.weight;
  assert.equal(w, 1);
  // After ~7 half-lives a single sighting falls below the reporting floor.
  assert.deepEqual(g.linked('tls:a', 7 * HOUR), ['ip:2.2.2.2']);
});

test('a hub keeps at most maxLinksPerFacet links, replacing the weakest', () => {
  const g = graph(1 << 30, 4);
  for (let i = 0; i < 100; i++) g.observe(['tls:hub', `ip:10.0.0.${i}` as Facet], i * 1000);
  const linked = g.linked('tls:hub', 100_000);
  assert.equal(linked.length, 4);
  assert.ok(linked.includes('ip:10.0.0.99'));
});

test('memory stays under the cap under a flood of new IPs, evicting least recently seen first', () => {
  const cap = 200_000;
  const g = graph(cap);
  for (let i = 0; i < 20_000; i++) {
    g.observe([`ip:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` as Facet, 'tls:one', 'http:one'], i);
    assert.ok(g.bytes <= cap);
  }
  assert.ok(g.evicted > 0);
  // The shared fingerprint is touched on every request, so it survives; early IPs do not.
  assert.ok(g.info('tls:one', 20_000));
  assert.equal(g.info('ip:10.0.0.0', 20_000), undefined);
});

test('findings are kept per facet, newest first, bounded', () => {
  const g = graph();
  g.observe(['ip:1.2.3.4', 'tls:x'], 0);
  for (let i = 0; i < 5; i++) {
    g.noteFindings(
      ['ip:1.2.3.4', 'ip:9.9.9.9'],
      [{ ruleId: `r.${i}`, category: 'c', severity: 'low', explanation: 'e' }],
      i,
    );
  }
  assert.deepEqual(
    g.info('ip:1.2.3.4', 5)!.findings.map((f) => f.ruleId),
    ['r.4', 'r.3', 'r.2'],
  );
  assert.equal(g.info('ip:9.9.9.9', 5), undefined);
});
