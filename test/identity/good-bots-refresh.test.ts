import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { identityConfigSchema } from '../../src/identity/config.ts';
import { GoodBotVerifier } from '../../src/identity/good-bots.ts';
import { runCli } from '../helpers/cli.ts';

/** The operators' endpoints, played by a local server: one good list per format, and the ways a feed goes bad. */
const FEEDS: Record<string, { status: number; body: string }> = {
  '/googlebot.json': {
    status: 200,
    body: JSON.stringify({
      creationTime: '2026-11-01T00:00:00.000000',
      prefixes: [{ ipv6Prefix: '2001:4860:4801:10::/64' }, { ipv4Prefix: '66.249.64.0/27' }],
    }),
  },
  '/bingbot.json': { status: 200, body: JSON.stringify({ prefixes: [{ ipv4Prefix: '0.0.0.0/0' }] }) },
  '/applebot.json': { status: 404, body: 'not found' },
  '/uptimerobot.txt': { status: 200, body: '69.162.124.226\r\n2607:ff68:107::3\r\n' },
  '/pingdom-v4': { status: 200, body: '5.172.196.188\n13.232.220.164\n' },
  '/pingdom-v6': { status: 200, body: '2a02:6ea0:c305::4041\n' },
};

let server: Server;
let base: string;
before(async () => {
  server = createServer((req, res) => {
    const feed = FEEDS[req.url ?? ''];
    res.writeHead(feed?.status ?? 404, { 'content-type': 'text/plain' });
    res.end(feed?.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sources = () => [
  '--source',
  `googlebot=${base}/googlebot.json`,
  '--source',
  `bingbot=${base}/bingbot.json`,
  '--source',
  `applebot=${base}/applebot.json`,
  '--source',
  `uptimerobot=${base}/uptimerobot.txt`,
  '--source',
  `pingdom=${base}/pingdom-v4`,
  '--source',
  `pingdom=${base}/pingdom-v6`,
];

test('goodbots refresh writes the good lists, keeps the previous file of a bad one, and the verifier uses them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-refresh-'));
  const previousBing = JSON.stringify({ prefixes: [{ ipv4Prefix: '157.55.39.0/24' }] });
  writeFileSync(join(dir, 'bingbot.json'), previousBing);

  const run = await runCli(['goodbots', 'refresh', '--dir', dir, ...sources()]);
  assert.equal(run.code, 1, 'some lists failed');
  assert.match(run.stdout, /googlebot: 2 ranges/);
  assert.match(run.stdout, /uptimerobot: 2 ranges/);
  assert.match(run.stdout, /pingdom: 3 ranges/);
  assert.match(run.stderr, /bingbot: not refreshed, previous file kept \(.*as wide as \/0\)/);
  assert.match(run.stderr, /applebot: not refreshed, previous file kept \(.*HTTP 404\)/);

  assert.equal(readFileSync(join(dir, 'googlebot.json'), 'utf8'), FEEDS['/googlebot.json']!.body, 'stored verbatim');
  assert.equal(readFileSync(join(dir, 'bingbot.json'), 'utf8'), previousBing);
  assert.equal(existsSync(join(dir, 'applebot.json')), false);
  const provenance = JSON.parse(readFileSync(join(dir, 'sources.json'), 'utf8')) as Record<string, { urls: string[] }>;
  assert.deepEqual(Object.keys(provenance).sort(), ['googlebot', 'pingdom', 'uptimerobot']);
  assert.deepEqual(provenance.pingdom!.urls, [`${base}/pingdom-v4`, `${base}/pingdom-v6`]);

  const config = identityConfigSchema.parse({ goodBots: { rangesDir: dir } });
  const v = new GoodBotVerifier(config.goodBots, new ManualClock(), { snapshotDir: null });
  assert.equal(v.status(v.claimed('Pingdom.com_bot_version_1.4')!, '2a02:6ea0:c305::4041'), 'verified');
  assert.equal(v.status(v.claimed('UptimeRobot/2.0')!, '69.162.124.226'), 'verified');
  assert.equal(v.status(v.claimed('Pingdom.com_bot_version_1.4')!, '69.162.124.226'), 'unverified');
});

test('goodbots refresh --only takes the directory from the config file and rejects unknown bots', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-refresh-cfg-'));
  const configFile = join(dir, 'portcullis.yaml');
  writeFileSync(configFile, `identity:\n  goodBots:\n    rangesDir: ${join(dir, 'ranges')}\n`);
  const run = await runCli(['goodbots', 'refresh', '-c', configFile, '--only', 'googlebot', ...sources()]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(existsSync(join(dir, 'ranges', 'googlebot.json')));
  assert.equal(existsSync(join(dir, 'ranges', 'uptimerobot.txt')), false, 'only the bots asked for');

  const bad = await runCli(['goodbots', 'refresh', '--dir', dir, '--only', 'googlebot,examplebot']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown bot examplebot; known: googlebot, bingbot/);
});
