import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { createActorGraph } from '../../src/identity/actor-graph.ts';
import { identityConfigSchema } from '../../src/identity/config.ts';
import { GoodBotVerifier, SNAPSHOT_RANGES_DIR } from '../../src/identity/good-bots.ts';
import { createIdentifier } from '../../src/identity/identifier.ts';
import { startDnsResponder } from './dns-responder.ts';
import { fakeContext } from './fake-context.ts';

const GOOGLEBOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
let dns: Awaited<ReturnType<typeof startDnsResponder>>;
const rangesDir = mkdtempSync(join(tmpdir(), 'pc-bots-'));

before(async () => {
  dns = await startDnsResponder({
    // A real crawler: PTR in googlebot.com, and that name resolves back.
    '1.66.249.66.in-addr.arpa': { PTR: ['crawl-66-249-66-1.googlebot.com'] },
    'crawl-66-249-66-1.googlebot.com': { A: ['66.249.66.1'] },
    // An impostor that controls its own PTR record but not googlebot.com's forward zone.
    '9.113.0.203.in-addr.arpa': { PTR: ['crawl-203-0-113-9.googlebot.com'] },
    'crawl-203-0-113-9.googlebot.com': { A: ['66.249.66.200'] },
    // An impostor with a look-alike domain.
    '10.113.0.203.in-addr.arpa': { PTR: ['googlebot.com.evil.example'] },
    'googlebot.com.evil.example': { A: ['203.0.113.10'] },
  });
  writeFileSync(join(rangesDir, 'bingbot.json'), JSON.stringify({ prefixes: [{ ipv4Prefix: '157.55.39.0/24' }] }));
  writeFileSync(join(rangesDir, 'uptimerobot.txt'), '# published list\n69.162.124.226\n2607:ff68:107::3\n');
});
after(() => dns.close());

/** Without the shipped snapshot: these tests decide by DNS and by the files written above only. */
function verifier(dir = rangesDir, snapshotDir: string | null = null) {
  const config = identityConfigSchema.parse({
    goodBots: { rangesDir: dir, resolver: dns.address, lookupTimeoutMs: 1000 },
  });
  return { config, v: new GoodBotVerifier(config.goodBots, new ManualClock(), { snapshotDir }) };
}

test('forward-confirmed reverse DNS verifies a real Googlebot and refuses both impostors', async () => {
  const { v } = verifier();
  const google = v.claimed(GOOGLEBOT_UA)!;
  assert.equal(await v.verify(google, '66.249.66.1'), true);
  assert.equal(await v.verify(google, '203.0.113.9'), false, 'PTR claims googlebot.com but A does not match');
  assert.equal(await v.verify(google, '203.0.113.10'), false, 'look-alike domain');
  assert.equal(await v.verify(google, '198.51.100.1'), false, 'no PTR at all');
});

test('published ranges verify without DNS, JSON and text alike', () => {
  const { v } = verifier();
  assert.equal(v.status(v.claimed('Mozilla/5.0 (compatible; bingbot/2.0)')!, '157.55.39.12'), 'verified');
  assert.equal(v.status(v.claimed('UptimeRobot/2.0')!, '69.162.124.226'), 'verified');
  assert.equal(v.status(v.claimed('UptimeRobot/2.0')!, '2607:ff68:107:0::3'), 'verified');
  assert.equal(v.status(v.claimed('UptimeRobot/2.0')!, '69.162.124.227'), 'unverified', 'ranges-only bots');
});

test('the first request is not held by the lookup; later ones get the bot facet or bot.unverified', async () => {
  const { config, v } = verifier();
  const links = createActorGraph(config);
  const id = createIdentifier(
    { ...config, hashSalt: 'a-test-salt-of-enough-length' },
    { dataDir: rangesDir, clock: new ManualClock(), links, goodBots: v },
  );
  const ctx = (ip: string) => fakeContext({ rawHeaders: ['Host', 'x', 'User-Agent', GOOGLEBOT_UA], ip });
  const first = ctx('66.249.66.1');
  assert.equal(id.identify(first), undefined, 'synchronous: no DNS wait on the request path');
  assert.equal(first.notes.botVerification, 'pending');
  const fake = ctx('203.0.113.9');
  id.identify(fake);
  await v.verify(v.claimed(GOOGLEBOT_UA)!, '66.249.66.1');
  await v.verify(v.claimed(GOOGLEBOT_UA)!, '203.0.113.9');
  const asked = dns.queries.length;
  const real = ctx('66.249.66.1');
  id.identify(real);
  assert.ok(real.facets.includes('bot:googlebot'));
  assert.deepEqual(real.findings, []);
  const impostor = ctx('203.0.113.9');
  id.identify(impostor);
  assert.ok(!impostor.facets.includes('bot:googlebot'));
  assert.deepEqual(
    impostor.findings.map((f) => f.ruleId),
    ['bot.unverified'],
  );
  assert.equal(dns.queries.length, asked, 'answered from the cache, no new DNS query');
});

test("the shipped snapshot of Google's and Apple's published lists verifies their crawlers without DNS", () => {
  const empty = mkdtempSync(join(tmpdir(), 'pc-bots-empty-'));
  const { v } = verifier(empty, SNAPSHOT_RANGES_DIR);
  const asked = dns.queries.length;
  assert.equal(v.status(v.claimed(GOOGLEBOT_UA)!, '66.249.66.1'), 'verified', 'in 66.249.66.0/27');
  assert.equal(v.status(v.claimed(GOOGLEBOT_UA)!, '2001:4860:4801:10::7'), 'verified', 'in 2001:4860:4801:10::/64');
  assert.equal(v.status(v.claimed('Mozilla/5.0 (Applebot/0.1)')!, '17.241.208.170'), 'verified', 'in 17.241.208.160/27');
  assert.equal(dns.queries.length, asked, 'no DNS for an address in the published ranges');
  assert.equal(v.status(v.claimed('UptimeRobot/2.0')!, '66.249.66.1'), 'unverified', "Google's ranges are Google's only");
});

test('a list in rangesDir replaces the snapshot for that bot instead of adding to it', () => {
  const own = mkdtempSync(join(tmpdir(), 'pc-bots-own-'));
  writeFileSync(join(own, 'googlebot.json'), JSON.stringify({ prefixes: [{ ipv4Prefix: '192.0.2.0/24' }] }));
  const { v } = verifier(own, SNAPSHOT_RANGES_DIR);
  const google = v.claimed(GOOGLEBOT_UA)!;
  assert.equal(v.status(google, '192.0.2.10'), 'verified');
  assert.notEqual(v.status(google, '66.249.66.1'), 'verified', 'the snapshot is not consulted for googlebot now');
  assert.equal(v.status(v.claimed('Applebot/0.1')!, '17.241.208.170'), 'verified', 'other bots still use it');
});
