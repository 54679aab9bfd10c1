import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createScraping } from './scraping.ts';
import { detectorKit } from './test-kit.ts';

test('scraping and BOLA walking, case by case', () => {
  const cases: [name: string, ids: (i: number) => number, n: number, expected: string | undefined][] = [
    ['a sequential walk', (i) => 1000 + i, 8, 'behaviour.id-walk'],
    ['a walk in steps of two', (i) => 1000 + 2 * i, 8, 'behaviour.id-walk'],
    ['a short run', (i) => 1000 + i, 5, undefined],
    ['random reading', (i) => (i * 7919) % 1000, 50, undefined],
    ['re-reading one object', () => 42, 30, undefined],
  ];
  for (const [name, ids, n, expected] of cases) {
    const kit = detectorKit(createScraping);
    let last: string[] = [];
    for (let i = 0; i < n; i++) last = kit.hit({ ip: '198.51.100.1', path: `/api/orders/${ids(i)}` });
    assert.equal(
      last.find((r) => r === 'behaviour.id-walk'),
      expected,
      name,
    );
  }
});

test('interleaved readers behind one address never look like a walk', () => {
  const kit = detectorKit(createScraping);
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const user = i % 30;
    for (const r of kit.hit({
      ip: '203.0.113.5',
      principal: `s${user}`,
      path: `/api/products/${user * 30 + (i % 7) * 3}`,
    }))
      seen.add(r);
  }
  assert.deepEqual([...seen], []);
});

test('distinct objects: an IP’s allowance grows with the principals behind it', () => {
  const kit = detectorKit(createScraping, { scraping: { maxDistinctIds: 20 } });
  const rules = (principals: number) => {
    const k = detectorKit(createScraping, { scraping: { maxDistinctIds: 20 } });
    let last: string[] = [];
    for (let i = 0; i < 60; i++) {
      const p = principals === 0 ? undefined : `s${i % principals}`;
      last = k.hit({ ip: '203.0.113.9', path: `/api/products/${(i * 37) % 997}`, ...(p && { principal: p }) });
    }
    return last;
  };
  assert.ok(rules(0).includes('behaviour.object-harvest'), 'one anonymous reader, 60 objects');
  assert.ok(!rules(5).includes('behaviour.object-harvest'), 'five signed-in readers, 12 objects each');
  assert.deepEqual(kit.hit({ ip: '203.0.113.9', path: '/api/products', query: 'page=51' }), ['behaviour.deep-paging']);
  assert.deepEqual(kit.hit({ ip: '203.0.113.9', path: '/api/products', query: 'offset=400&limit=10' }), []);
});
