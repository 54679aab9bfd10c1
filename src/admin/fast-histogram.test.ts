import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { FastHistogram } from './fast-histogram.ts';

test('exposes the same text as a prom-client Histogram fed the same observations', async () => {
  const buckets = [0.001, 0.01, 0.1];
  const fastRegistry = new Registry();
  const fast = new FastHistogram({
    name: 'demo_seconds',
    help: 'demo',
    labelName: 'stage',
    labelValues: ['a', 'b'] as const,
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
    fast.observe(label, v);
    ref.labels(label).observe(v);
  }
  assert.equal(await fastRegistry.metrics(), await refRegistry.metrics());
});

test('reports label values never observed as zero series, and reset clears them', async () => {
  const registry = new Registry();
  const h = new FastHistogram({
    name: 'x_seconds',
    help: 'x',
    labelName: 'stage',
    labelValues: ['a', 'b'] as const,
    buckets: [1],
    registry,
  });
  h.observe('a', 0.5);
  const text = await registry.metrics();
  assert.match(text, /x_seconds_count\{stage="a"\} 1/);
  assert.match(text, /x_seconds_count\{stage="b"\} 0/);
  registry.resetMetrics();
  assert.match(await registry.metrics(), /x_seconds_count\{stage="a"\} 0/);
});
