import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { systemClock } from '../../src/core/clock.ts';
import { decisionsConfigSchema } from '../../src/decisions/config.ts';
import { openDecisionService } from '../../src/decisions/service.ts';
import { EventBus } from '../../src/events/bus.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

/** 1,000,000 lines: 900,000 distinct IPv4, 90,000 v4 CIDRs (/16–/30), 9,990 v6 /48s and 10 bad lines. */
async function* million(): AsyncGenerator<string> {
  let buf = '';
  for (let i = 0; i < 1_000_000; i++) {
    if (i % 100_000 === 99_999) buf += `bad-line-${i}\n`;
    else if (i % 100 === 1) buf += `2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::/64\n`;
    else if (i % 10 === 3) buf += `${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}.0/${16 + (i % 15)}\n`;
    else buf += `${100 + (i >>> 24)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}\n`;
    if (buf.length > 256 * 1024) {
      yield buf;
      buf = '';
    }
  }
  yield buf;
}

test('a 1,000,000-line import through the admin API keeps every good line, durable, and reloads after restart', async () => {
  const t0 = performance.now();
  const res = await request(`${h.url}/api/v1/decisions/import?format=text&name=million`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'text/plain' },
    body: Readable.from(million()),
  });
  const report = (await res.body.json()) as { accepted: number; rejected: number; errors: { line: number }[] };
  const importMs = performance.now() - t0;
  assert.equal(res.statusCode, 200);
  assert.equal(report.rejected, 10);
  assert.equal(report.errors[0]?.line, 100_000);
  assert.ok(report.accepted >= 999_000, `accepted ${report.accepted}`);
  const stats = h.service.stats();
  assert.equal(h.service.gate.lookup(['ip:100.0.0.4'])?.action, 'block');
  assert.equal(h.service.gate.lookup(['ip:2001:db8:0:65::77'])?.matched, 'cidr:2001:db8:0:65::/64');

  const t1 = performance.now();
  const again = await openDecisionService({
    dataDir: h.dataDir,
    clock: systemClock,
    events: new EventBus(),
    config: decisionsConfigSchema.parse({}),
  });
  const reloadMs = performance.now() - t1;
  try {
    assert.equal(again.stats().gateEntries, stats.gateEntries);
    assert.equal(again.gate.lookup(['ip:100.0.0.4'])?.action, 'block');
  } finally {
    await again.close();
  }
  process.stderr.write(
    `# 1M import ${Math.round(importMs)} ms, reload ${Math.round(reloadMs)} ms, gate ${stats.gateEntries}\n`,
  );
});
