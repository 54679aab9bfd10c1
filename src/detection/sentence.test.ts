import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSentence } from './sentence.ts';

test('three words of prose with two in a row make a sentence, in any script', () => {
  for (const s of [
    'Check /var/log/syslog for errors',
    'logs are in /var/log/myapp/',
    'edit /etc/hosts to add the entry',
    '(see the docs) /etc/hosts',
    "it's in /etc/hosts, isn't it?",
    'Regarde /var/log/syslog pour les erreurs',
    'Проверьте /var/log/syslog на ошибки',
  ])
    assert.equal(isSentence(s), true, s);
});

test('a path, a command line or code spaced out token by token is not a sentence', () => {
  for (const s of [
    '/etc/passwd',
    'cat /etc/passwd',
    'sudo cat /etc/shadow',
    'see /etc/nginx/nginx.conf line 12',
    'tail -f /var/log/nginx/error.log',
    '[  ] . sort . call ` ${ alert } 1337 `',
    'a b c d e f',
    '$HOME -la x=1 /etc/hosts',
    '/etc/passwd\0 is my file',
    '/etc/passwd%00 is my file',
    '',
  ])
    assert.equal(isSentence(s), false, s);
});

test('linear on a long value', () => {
  const long = 'x '.repeat(200_000);
  const t0 = process.hrtime.bigint();
  assert.equal(isSentence(long), false);
  // A ReDoS guard, not a speed target: one split and one anchored test per token.
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 1000);
});
