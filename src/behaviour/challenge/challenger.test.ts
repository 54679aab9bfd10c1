import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ManualClock } from '../../core/clock.ts';
import type { Finding } from '../../core/finding.ts';
import { behaviourConfigSchema } from '../config.ts';
import { MemoryCounterStore } from '../counter-store.ts';
import { ViewBuilder } from '../request-view.ts';
import { Challenger } from './challenger.ts';
import { ChallengeSecrets } from './secrets.ts';

function setup() {
  const config = behaviourConfigSchema.parse({ challenge: { retryAfterSeconds: 2 } });
  const clock = new ManualClock();
  const challenger = new Challenger(config, new ChallengeSecrets(randomBytes(32), 3_600_000), new MemoryCounterStore());
  const views = new ViewBuilder(config);
  const view = (ip: string, ua = 'app/1', accept = 'application/json') =>
    views.build({
      now: clock.now(),
      method: 'GET',
      path: '/api/x',
      rawQuery: '',
      clientIp: ip,
      facets: [`ip:${ip}`, 'http:h1'],
      accept,
      userAgent: ua,
    });
  const verify = (ip: string, cookie?: string, ua?: string) => {
    const out: Finding[] = [];
    const standing = challenger.verify(view(ip, ua), cookie, out);
    return { standing, rules: out.map((f) => f.ruleId) };
  };
  return { clock, challenger, view, verify };
}

test('Retry-After: early is a finding, on time passes once and relieves risk', () => {
  const { clock, challenger, view, verify } = setup();
  assert.equal(challenger.issueRetryAfter(view('192.0.2.1')), 2);
  clock.advance(500);
  assert.deepEqual(verify('192.0.2.1').rules, ['behaviour.retry-after-ignored']);
  clock.advance(1600);
  const onTime = verify('192.0.2.1');
  assert.deepEqual([onTime.standing.verified, onTime.standing.passedNow, onTime.rules], [true, true, []]);
  const later = verify('192.0.2.1');
  assert.deepEqual([later.standing.verified, later.standing.passedNow], [true, false]);
  assert.equal(verify('192.0.2.2').standing.verified, false, 'the pass belongs to its client only');
});

test('cookie pass: valid for its client, relief on first use only, replay by another stack is a finding', () => {
  const { challenger, view, verify } = setup();
  const cookie = challenger.issueCookie(view('192.0.2.5', 'browser/1')).split(';')[0]!;
  const first = verify('192.0.2.5', cookie, 'browser/1');
  assert.deepEqual([first.standing.verified, first.standing.passedNow], [true, true]);
  assert.deepEqual([verify('192.0.2.5', cookie, 'browser/1').standing.passedNow], [false]);
  assert.deepEqual(verify('192.0.2.6', cookie, 'browser/1'), {
    standing: { verified: false, passedNow: false, unanswered: 0 },
    rules: [],
  });
  assert.deepEqual(verify('192.0.2.5', cookie, 'bot/2').rules, ['behaviour.challenge-token-replayed']);
  assert.deepEqual(verify('192.0.2.5', '__pc_pass=v1.c.0.zz.a.b.c.0.forged', 'browser/1').rules, [
    'behaviour.challenge-token-forged',
  ]);
});

test('clients that never answer cookie challenges are switched to Retry-After, then held to account', () => {
  const { challenger, view, verify } = setup();
  const v = view('192.0.2.9', 'tool/1', 'text/html');
  assert.equal(challenger.choose(v, verify('192.0.2.9', undefined, 'tool/1').standing, false), 'cookie');
  challenger.issueCookie(v);
  assert.equal(challenger.choose(v, verify('192.0.2.9', undefined, 'tool/1').standing, false), 'retry-after');
  challenger.issueCookie(v);
  assert.deepEqual(verify('192.0.2.9', undefined, 'tool/1').rules, ['behaviour.challenge-ignored']);
  assert.equal(
    challenger.choose(v, { verified: false, passedNow: false, unanswered: 0 }, true),
    'pow',
    'browsers at high risk get the PoW',
  );
});
