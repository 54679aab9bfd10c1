import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { serializedBlob } from './serialized-blob.ts';

const JAVA = Buffer.concat([Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72]), Buffer.from('java.util.HashMap')]);

test('a gzipped Java stream in base64 is handed on as its bytes', () => {
  const text = serializedBlob(gzipSync(JAVA).toString('base64'));
  assert.equal(text, JAVA.toString('latin1'));
});

test('a pickle of protocol 2 or 4 in base64 is handed on as its bytes', () => {
  assert.match(serializedBlob('gAJjcG9zaXgKc3lzdGVtCnEAWAYAAAB3aG9hbWlxAYVxAlJxAy4=')!, /^\x80\x02cposix\nsystem\n/);
  // A form decoder turned `+` into a space.
  assert.ok(serializedBlob('gASVIQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAZ3aG9hbWmUhZRSlC4=')!.includes('system'));
});

test('gzip of anything but a serialised object, a truncated or corrupt stream, and ordinary tokens give nothing', () => {
  assert.equal(serializedBlob(gzipSync(Buffer.from('{"a":"<script>alert(1)</script>"}')).toString('base64')), undefined);
  assert.equal(serializedBlob('H4sIAAAAAAAAA_not_gzip_at_all_'), undefined);
  assert.equal(serializedBlob('gAAAAABlZ2VuZXJhdGVk'), undefined); // a Fernet token starts gAAAAA: no pickle header
  assert.equal(serializedBlob('hello world'), undefined);
  // Truncated: what it holds so far is read.
  const cut = gzipSync(JAVA).toString('base64').slice(0, 40);
  assert.equal(serializedBlob(cut)?.startsWith('\xac\xed\x00\x05'), true);
});

test('a gadget padded into a compression bomb is read from a prefix, within the output cap', () => {
  const bomb = gzipSync(Buffer.concat([JAVA, Buffer.alloc(8 << 20)])).toString('base64');
  assert.ok(bomb.length < 65_536);
  const text = serializedBlob(bomb);
  assert.ok(text !== undefined && text.startsWith(JAVA.toString('latin1')));
  assert.ok(text.length <= 65_536);
});

test('a protocol-4 pickle names its callable in the protocol-0 form too', () => {
  const text = serializedBlob('gASVIQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAZ3aG9hbWmUhZRSlC4=')!;
  assert.ok(text.endsWith('\ncposix\nsystem\n'), JSON.stringify(text.slice(-20)));
});
