import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHarness, send } from './engine-harness.ts';

const BROWSER = 'text/html,application/xhtml+xml,*/*;q=0.8';

test('credential stuffing from rotating IPs is stopped through the shared client stack, then the stack is blocked', () => {
  const h = createHarness();
  let reached = 0;
  for (let i = 0; i < 400; i++) {
    h.clock.advance(250);
    const ip = `198.51.${100 + (i % 50)}.${(i * 7) % 250}`;
    const r = send(
      h,
      { ip, stack: 'tool', method: 'POST', path: '/login', account: `victim${i}`, accept: BROWSER },
      401,
      h.decisions,
    );
    if (r.reached) reached++;
  }
  assert.ok(reached <= 40, `only the first attempts may reach the API, got ${reached}`);
  assert.ok(
    h.decisions.added.some((d) => d.kind === 'http' && d.value === 'tool'),
    'the tool’s stack is blocked',
  );
});

test('a NAT office of 40 people on one address is never challenged or blocked', () => {
  const h = createHarness();
  const actions = new Set<string>();
  for (let minute = 0; minute < 30; minute++) {
    for (let user = 0; user < 40; user++) {
      h.clock.advance(1500);
      const spec = { ip: '203.0.113.5', stack: 'chrome', accept: BROWSER, principal: `s${user}` };
      if (minute === 0 || (minute === 15 && user % 4 === 0)) {
        const typo = (user + minute) % 10 === 0;
        actions.add(
          send(h, { ...spec, method: 'POST', path: '/login', account: `u${user}` }, typo ? 401 : 200).subject.verdict
            .action,
        );
      }
      const id = 1000 + ((user * 7919 + minute * 104729) % 5000);
      actions.add(send(h, { ...spec, path: `/api/products/${id}` }, 200).subject.verdict.action);
    }
  }
  assert.deepEqual(
    [...actions].filter((a) => a !== 'allow' && a !== 'watch'),
    [],
  );
  assert.equal(h.decisions.added.length, 0);
});

test('a steady partner integration with machine-regular timing is at most watched', () => {
  const h = createHarness();
  const actions = new Set<string>();
  for (let i = 0; i < 1200; i++) {
    h.clock.advance(1000);
    const r = send(
      h,
      { ip: '192.0.2.50', stack: 'partner-go', principal: 'partner-key', path: `/api/orders`, query: `since=${i}` },
      200,
    );
    actions.add(r.subject.verdict.action);
  }
  assert.ok(
    [...actions].every((a) => a === 'allow' || a === 'watch'),
    [...actions].join(),
  );
});

test('a critical attack finding blocks on its own and writes an IP decision', () => {
  const h = createHarness();
  const s = send(h, { ip: '192.0.2.66', path: '/search' }, 200).subject;
  s.findings.push({ ruleId: 'sqli.union-based', category: 'sqli', severity: 'critical', explanation: 'union select' });
  const t = { ...s, findings: [...s.findings], verdict: { action: 'allow', reason: '' } as const, notes: {} };
  h.engine.profile(t);
  h.engine.score(t);
  h.engine.act(t);
  assert.equal(t.verdict.action, 'block');
  assert.equal(h.decisions.added[0]?.kind, 'ip');
  assert.equal(h.decisions.added[0]?.source, 'detector:sqli.union-based');
});

test('monitor mode decides but writes no decision', () => {
  const h = createHarness();
  for (const path of ['/.env', '/.git/config', '/wp-login.php']) {
    h.clock.advance(100);
    send(h, { ip: '192.0.2.77', path, enforce: false }, 404);
  }
  assert.equal(h.decisions.added.length, 0);
});

test('block TTLs escalate when an offender comes back after its block expired', () => {
  const h = createHarness();
  const ttls: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const path of ['/.env', '/.git/config']) send(h, { ip: '192.0.2.88', path }, 404);
    const last = h.decisions.added.at(-1)!;
    ttls.push((last.expiresAt ?? 0) - last.createdAt);
    h.clock.advance(3 * 3_600_000);
  }
  assert.deepEqual(
    ttls.map((t) => t / 60_000),
    [10, 40, 160],
  );
});

test('a scanner is challenged at its first sensitive-path probe and blocked at its second', () => {
  const h = createHarness();
  const verdicts = ['/.env', '/.git/config', '/admin.php'].map(
    (path) => send(h, { ip: '192.0.2.99', path }, 404).subject.verdict.action,
  );
  assert.deepEqual(verdicts, ['challenge', 'block', 'block']);
});

test('a sequential id walk is blocked within a dozen requests, interleaved readers are not', () => {
  const h = createHarness();
  const walk: string[] = [];
  for (let id = 1; id <= 12; id++)
    walk.push(send(h, { ip: '192.0.2.120', stack: 'py', path: `/api/orders/${id}` }, 200).subject.verdict.action);
  assert.equal(walk.at(-1), 'block');
  assert.ok(walk.indexOf('block') <= 10, walk.join());
});

test('misordered policy thresholds are a config error naming the key', () => {
  assert.throws(
    () => createHarness({ policy: { tarpit: 90 } }),
    /PC_ERR|behaviour\.policy\.block: must be ≥ policy\.tarpit/,
  );
});

test('unknown families are rejected and disabled families do not run', () => {
  assert.throws(() => createHarness({}, ['nope']), /unknown behaviour family nope/);
  const h = createHarness({}, ['scanning']);
  for (const path of ['/.env', '/.git/config', '/wp-login.php'])
    assert.equal(send(h, { ip: '192.0.2.9', path }, 404).subject.findings.length, 0);
  assert.deepEqual(h.engine.families, [
    'stuffing',
    'enumeration',
    'scraping',
    'scanning',
    'flood',
    'timing',
    'challenge',
  ]);
});

test('risk is explained as contributions per facet', () => {
  const h = createHarness();
  send(h, { ip: '192.0.2.10', path: '/.env' }, 404);
  const e = h.engine.explain('ip:192.0.2.10');
  assert.equal(e.risk, 45);
  assert.equal(e.contributions[0]?.ruleId, 'behaviour.sensitive-path-probe');
});
