import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createScanning, sensitiveMatcher } from './scanning.ts';
import { detectorKit } from './test-kit.ts';

test('sensitive-path probes, case by case', () => {
  const cases: [path: string, probe: boolean][] = [
    ['/.env', true],
    ['/.git/config', true],
    ['/app/.env', true],
    ['/wp-login.php', true],
    ['/db.sql', true],
    ['/index.php.bak', true],
    ['/api/products/1', false],
    ['/environment', false],
    ['/api/gitlab/hooks', false],
  ];
  for (const [path, probe] of cases) {
    const kit = detectorKit(createScanning);
    assert.equal(kit.hit({ ip: '198.51.100.1', path }).includes('behaviour.sensitive-path-probe'), probe, path);
  }
});

test('forced browsing: many distinct unknown paths with mostly error answers', () => {
  const kit = detectorKit(createScanning);
  for (let i = 0; i < 20; i++) kit.hit({ ip: '198.51.100.2', path: `/api/v${i}/admin` }, 404);
  assert.ok(kit.hit({ ip: '198.51.100.2', path: '/api/x' }).includes('behaviour.forced-browsing'));
  // A user with a stale bookmark: one 404 among many successes.
  for (let i = 0; i < 30; i++)
    kit.hit({ ip: '192.0.2.3', path: i === 5 ? '/old-page' : `/api/products/${i}` }, i === 5 ? 404 : 200);
  assert.deepEqual(kit.hit({ ip: '192.0.2.3', path: '/api/products/1' }), []);
});

test('the sensitive-path matcher agrees with the plain definition (path, segment prefix, segment suffix)', () => {
  const paths = ['/.env', '/.git', '/wp-admin', '/etc/passwd', '/backup', 'cgi-bin'];
  const match = sensitiveMatcher(paths);
  const plain = (path: string) =>
    paths
      .map((p) => (p.startsWith('/') ? p : `/${p}`))
      .find((p) => path === p || path.startsWith(`${p}/`) || path.endsWith(p));
  const samples = [
    '/.env',
    '/.envrc',
    '/x/.env',
    '/.git/config',
    '/a/.git/HEAD',
    '/wp-admin/',
    '/blog/wp-admin/setup.php',
    '/static/etc/passwd',
    '/etc/passwd/x',
    '/backups',
    '/my-backup',
    '/cgi-bin/test.cgi',
    '/',
    '/api/orders/7',
  ];
  for (const path of samples) assert.equal(match(path), plain(path), path);
});
