import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { FastCounter, FastHistogram } from './fast-metrics.ts';

test('exposes the same text as a prom-client Histogram fed the same observations', async () => {
  const buckets = [0.001, 0.01, 0.1];
  const fastRegistry = new Registry();
  const fast = new FastHistogram({
    name: 'demo_seconds',
    help: 'demo',
    label: { name: 'stage', values: ['a', 'b'] as const },
    buckets,
    registry: fastRegistry,
  });
  const refRegistry = new Registry();
  const ref = new Histogram({ name: 'demo_seconds', help: 'demo', labelNames: ['stage'], buckets, registers: [refRegistry] });
  const samples: Array<['a' | 'b', number]> = [
    ['a', 0.0005],
    ['a', 0.001], // on a bound: counted in that bucket (le is "less than or equal")
    ['a', 0.05],
    ['a', 3],
    ['b', 0.02],
    ['b', 0.02],
  ];
  for (const [label, v] of samples) {
    fast.observe(v, label);
    ref.labels(label).observe(v);
  }
  assert.equal(await fastRegistry.metrics(), await refRegistry.metrics());
});

test('reports label values never observed as zero series, and reset clears them', async () => {
  const registry = new Registry();
  const h = new FastHistogram({
    name: 'x_seconds',
    help: 'x',
    label: { name: 'stage', values: ['a', 'b'] as const },
    buckets: [1],
    registry,
  });
  h.observe(0.5, 'a');
  const text = await registry.metrics();
  assert.match(text, /x_seconds_count\{stage="a"\} 1/);
  assert.match(text, /x_seconds_count\{stage="b"\} 0/);
  registry.resetMetrics();
  assert.match(await registry.metrics(), /x_seconds_count\{stage="a"\} 0/);
});

test('a FastCounter exposes the same text as a prom-client Counter', async () => {
  const fastRegistry = new Registry();
  const fast = new FastCounter({ name: 'req_total', help: 'r', labelNames: ['action', 'status'], registry: fastRegistry });
  const refRegistry = new Registry();
  const ref = new Counter({ name: 'req_total', help: 'r', labelNames: ['action', 'status'], registers: [refRegistry] });
  for (const [a, s] of [['allow', 200], ['allow', 200], ['block', 403], ['allow', 404]] as const) {
    fast.inc(a, s);
    ref.labels(a, String(s)).inc();
  }
  // Same lines; series order is free in the exposition format.
  const lines = async (r: Registry) => (await r.metrics()).split('\n').sort();
  assert.deepEqual(await lines(fastRegistry), await lines(refRegistry));
});

test('an unlabelled FastHistogram exposes the same text as an unlabelled prom-client Histogram', async () => {
  const buckets = [0.01, 0.1, 1];
  const fastRegistry = new Registry();
  const fast = new FastHistogram({ name: 'lat_seconds', help: 'l', buckets, registry: fastRegistry });
  const refRegistry = new Registry();
  const ref = new Histogram({ name: 'lat_seconds', help: 'l', buckets, registers: [refRegistry] });
  for (const v of [0.005, 0.01, 0.5, 7]) {
    fast.observe(v);
    ref.observe(v);
  }
  assert.equal(await fastRegistry.metrics(), await refRegistry.metrics());
});
