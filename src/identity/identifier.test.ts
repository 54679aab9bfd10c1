import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeContext } from '../../test/identity/fake-context.ts';
import { CHROME_UA, STACKS, withUserAgent } from '../../test/identity/stack-headers.ts';
import { ManualClock } from '../core/clock.ts';
import { createActorGraph } from './actor-graph.ts';
import { identityConfigSchema } from './config.ts';
import { createIdentifier } from './identifier.ts';

const config = identityConfigSchema.parse({ hashSalt: 'a-test-salt-of-enough-length', goodBots: { enabled: false } });
function setup() {
  const links = createActorGraph(config);
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-id-'));
  return { links, identifier: createIdentifier(config, { dataDir, clock: new ManualClock(), links }) };
}

test('every field of the identity config has a default', () => {
  const c = identityConfigSchema.parse({});
  assert.equal(c.actors.memoryCapMb, 512);
  assert.deepEqual(c.apiKeyHeaders, ['x-api-key']);
  assert.equal(c.goodBots.rangesDir, 'data/good-bots');
  assert.throws(() => identityConfigSchema.parse({ nope: 1 }));
});

test('a request gets an http facet, and an API key becomes a hashed principal that never shows the key', async () => {
  const { identifier, links } = setup();
  const ctx = fakeContext({ rawHeaders: [...STACKS.pythonRequests!, 'X-Api-Key', 'sk_live_SECRET123'] });
  await identifier.identify(ctx);
  const principal = ctx.facets.find((f) => f.startsWith('principal:'));
  assert.match(principal!, /^principal:k-[0-9a-f]{16}$/);
  assert.ok(ctx.facets.some((f) => f.startsWith('http:11tn06_s-gd-n-f0c0_')));
  assert.ok(!JSON.stringify({ facets: ctx.facets, notes: ctx.notes, findings: ctx.findings }).includes('SECRET123'));
  assert.deepEqual(ctx.findings, []);
  assert.ok(links.linked('ip:198.51.100.7', 0).includes(principal as `principal:${string}`));
});

test('python-requests claiming Chrome is client.inconsistent; sqlmap is client.attack-tool', async () => {
  const { identifier } = setup();
  const spoof = fakeContext({ rawHeaders: withUserAgent(STACKS.pythonRequests!, CHROME_UA) });
  await identifier.identify(spoof);
  assert.deepEqual(
    spoof.findings.map((f) => f.ruleId),
    ['client.inconsistent'],
  );
  assert.match(spoof.findings[0]!.explanation, /claims chrome 131, but .*Accept-Language/);
  const tool = fakeContext({ rawHeaders: withUserAgent(STACKS.curl!, 'sqlmap/1.8#stable (https://sqlmap.org)') });
  await identifier.identify(tool);
  assert.deepEqual(
    tool.findings.map((f) => [f.ruleId, f.severity]),
    [['client.attack-tool', 'high']],
  );
});

test('a login route yields a hashed account, the same for differently cased usernames, JSON or form', async () => {
  const { identifier } = setup();
  const json = fakeContext({
    rawHeaders: [...STACKS.curl!, 'Content-Type', 'application/json'],
    method: 'POST',
    path: '/login',
    body: Buffer.from('{"username":"Alice@Example.com","password":"hunter2"}'),
  });
  const form = fakeContext({
    rawHeaders: [...STACKS.curl!, 'Content-Type', 'application/x-www-form-urlencoded'],
    method: 'POST',
    path: '/login',
    body: Buffer.from('username=alice%40example.com+&password=x'),
  });
  await identifier.identify(json);
  await identifier.identify(form);
  const a = json.facets.find((f) => f.startsWith('account:'));
  assert.match(a!, /^account:[0-9a-f]{16}$/);
  assert.equal(
    form.facets.find((f) => f.startsWith('account:')),
    a,
  );
  assert.ok(!JSON.stringify(json.facets).includes('alice'));
});

test('the salt is generated once into the data dir and reused', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-salt-'));
  const noSalt = identityConfigSchema.parse({ goodBots: { enabled: false } });
  const mk = () => createIdentifier(noSalt, { dataDir, clock: new ManualClock(), links: createActorGraph(noSalt) });
  const run = async () => {
    const ctx = fakeContext({ rawHeaders: [...STACKS.curl!, 'X-Api-Key', 'k1'] });
    await mk().identify(ctx);
    return ctx.facets.find((f) => f.startsWith('principal:'));
  };
  assert.equal(await run(), await run());
});

test('login routes come from the one configured list; the account is the first of accountFields present', async () => {
  const links = createActorGraph(config);
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-id-'));
  const identifier = createIdentifier(config, {
    dataDir,
    clock: new ManualClock(),
    links,
    loginRoutes: [{ method: 'POST', path: '/api/v2/sessions' }],
  });
  const login = (path: string, body: string) =>
    fakeContext({
      rawHeaders: [...STACKS.curl!, 'Content-Type', 'application/json'],
      method: 'POST',
      path,
      body: Buffer.from(body),
    });
  const byEmail = login('/api/v2/sessions', '{"email":"Bob@Example.com","password":"x"}');
  const byNested = login('/api/v2/sessions', '{"user":"bob@example.com","username":"","password":"x"}');
  const notLogin = login('/login', '{"username":"bob@example.com"}'); // a default route, but not configured here
  for (const ctx of [byEmail, byNested, notLogin]) await identifier.identify(ctx);
  const account = (ctx: typeof byEmail) => ctx.facets.find((f) => f.startsWith('account:'));
  assert.match(account(byEmail)!, /^account:[0-9a-f]{16}$/);
  // An empty `username` is skipped for the next field that names someone.
  assert.equal(account(byNested), account(byEmail));
  assert.equal(account(notLogin), undefined);
});
