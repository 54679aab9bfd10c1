import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { eventually, type RunningGateway, startCliGateway } from '../helpers/cli.ts';
import { startTestUpstream, type TestUpstream } from '../helpers/upstream.ts';

const ATTACK = "/search?q=1'%20UNION%20SELECT%20password%20FROM%20users--";
let upstream: TestUpstream;
let gw: RunningGateway;
let file: string;

function writeConfig(extra: string): void {
  writeFileSync(file, `upstream: { url: "${upstream.url}" }\nbehaviour: { flood: { maxPerIp: 100000 } }\n${extra}`);
}

before(async () => {
  upstream = await startTestUpstream();
  file = join(mkdtempSync(join(tmpdir(), 'pc-reload-')), 'portcullis.yaml');
  writeConfig('');
  gw = await startCliGateway(['--config', file, '--disable', 'behaviour']);
});
after(async () => {
  await gw.stop();
  await upstream.close();
});

test('a detection exclusion added to the file takes effect on POST /api/v1/reload without a restart', async () => {
  assert.equal((await fetch(gw.url + ATTACK)).status, 403);
  writeConfig('detection:\n  exclusions:\n    - { method: GET, path: /search, locations: [query.q] }\n');
  const res = await gw.admin('/api/v1/reload', { method: 'POST' });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { applied: ['detection'], needsRestart: [] });
  assert.equal((await fetch(gw.url + ATTACK)).status, 200);
  // Other routes are still protected.
  assert.equal((await fetch(`${gw.url}/other?q=1'%20UNION%20SELECT%20password%20FROM%20users--`)).status, 403);
});

test('an invalid file is refused on reload and the running configuration stays in force', async () => {
  writeConfig('detection:\n  paranoia: 9\n');
  const res = await gw.admin('/api/v1/reload', { method: 'POST' });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { errors: string[] };
  assert.match(body.errors.join('\n'), /detection\.paranoia/);
  assert.equal((await fetch(gw.url + ATTACK)).status, 200, 'the previous exclusion is still applied');
});

test('SIGHUP reloads too, and a changed upstream setting is reported as needing a restart', async () => {
  writeFileSync(
    file,
    `upstream: { url: "${upstream.url}", timeoutMs: 1234 }\nbehaviour: { flood: { maxPerIp: 100000 } }\n`,
  );
  gw.child.kill('SIGHUP');
  const line = await eventually(() => gw.logs().find((l) => l.msg === 'configuration reloaded' && l.by === 'SIGHUP'));
  assert.deepEqual(line.applied, ['detection']);
  assert.deepEqual(line.needsRestart, ['upstream']);
  assert.equal((await fetch(gw.url + ATTACK)).status, 403, 'the exclusion is gone again');
});
