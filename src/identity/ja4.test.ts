import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildClientHello, ext } from '../../test/identity/hello-builder.ts';
import { isGrease, parseClientHello } from './client-hello.ts';
import { alpnCode, ja3, ja3Text, ja4, ja4Parts } from './ja4.ts';

// The worked example of JA4.md ("Cipher hash", "Extension hash", "Example"), with GREASE added where Chrome puts it.
const SPEC_CIPHERS = [
  0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d,
  0x002f, 0x0035,
];
const SPEC_SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

function specHello(withSigAlgs = true) {
  const order = [
    0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01,
    0x000b, 0x000a, 0x0015, 0x3a3a,
  ];
  const extensions = order.map((type) => {
    if (type === 0x0000) return ext.sni('example.com');
    if (type === 0x0010) return ext.alpn('h2', 'http/1.1');
    if (type === 0x002b) return ext.versions(0x5a5a, 0x0304, 0x0303);
    if (type === 0x000d) return withSigAlgs ? ext.sigAlgs(0x6a6a, ...SPEC_SIGALGS) : ext.sigAlgs();
    return ext.empty(type);
  });
  return parseClientHello(buildClientHello({ ciphers: SPEC_CIPHERS, extensions }))!;
}

test('the JA4 of the spec example matches the spec, GREASE ignored in ciphers, extensions and versions', () => {
  const hello = specHello();
  assert.equal(ja4(hello), 't13d1516h2_8daaf6152771_e5627efa2ab1');
  assert.equal(ja4Parts(hello).ciphers, '002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9');
});

test('without signature algorithms the extension hash has no underscore (spec value 6d807ffa2a79)', () => {
  assert.equal(ja4(specHello(false)).split('_')[2], '6d807ffa2a79');
});

test('a published Chrome hello gives its published JA4 and JA3', () => {
  // Chrome 143 as reported by browserleaks (ja4, ja4_r and ja3_text published together).
  const ciphers = [4865, 4866, 4867, 49195, 49199, 49196, 49200, 52393, 52392, 49171, 49172, 156, 157, 47, 53];
  const order = [45, 51, 16, 65037, 23, 17613, 0, 11, 10, 43, 65281, 35, 18, 5, 13, 27];
  const extensions = order.map((type) => {
    if (type === 0) return ext.sni('tls.browserleaks.com');
    if (type === 16) return ext.alpn('h2', 'http/1.1');
    if (type === 43) return ext.versions(0x1a1a, 0x0304, 0x0303);
    if (type === 13) return ext.sigAlgs(...SPEC_SIGALGS);
    if (type === 10) return ext.groups(0x8a8a, 4588, 29, 23, 24);
    if (type === 11) return ext.pointFormats(0);
    return ext.empty(type);
  });
  const hello = parseClientHello(buildClientHello({ ciphers: [0xdada, ...ciphers, 0xfafa], extensions }))!;
  assert.equal(ja4(hello), 't13d1516h2_8daaf6152771_d8a2da3f94cd');
  assert.equal(
    ja3Text(hello),
    '771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,' +
      '45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0',
  );
  assert.equal(ja3(hello), '98487aa16281980e7d1120d399efb6a4');
  assert.equal(hello.serverName, 'tls.browserleaks.com');
  assert.deepEqual(hello.alpn, ['h2', 'http/1.1']);
});

test('a TLS 1.2 hello without SNI, ALPN or supported_versions reads as t12i…00', () => {
  const hello = parseClientHello(buildClientHello({ ciphers: [0xc02f, 0x009c], extensions: [ext.empty(0xff01)] }))!;
  assert.match(ja4(hello), /^t12i020100_/);
});

test('no ciphers and no extensions give the spec’s all-zero hashes', () => {
  const hello = parseClientHello(buildClientHello({ ciphers: [], extensions: [ext.sni('a.example')] }))!;
  assert.equal(ja4(hello), 't12d000100_000000000000_000000000000');
});

test('ALPN codes follow the spec table, including its hex fallback', () => {
  const cases: [string | undefined, string][] = [
    [undefined, '00'],
    ['', '00'],
    ['h2', 'h2'],
    ['http/1.1', 'h1'],
    ['h', 'hh'],
    ['\xab', 'ab'],
    ['\xab\xcd', 'ad'],
    ['0\xab', '3b'],
    ['01\xab\xcd', '3d'],
    ['0\xab\xcd1', '01'],
  ];
  for (const [alpn, code] of cases) assert.equal(alpnCode(alpn), code, JSON.stringify(alpn));
});

test('GREASE is exactly the sixteen 0x?a?a values with equal bytes', () => {
  assert.equal(isGrease(0x0a0a), true);
  assert.equal(isGrease(0xfafa), true);
  assert.equal(isGrease(0x0a1a), false);
  assert.equal(isGrease(0x1301), false);
});

test('truncated or non-TLS bytes are not a hello', () => {
  const full = buildClientHello({ ciphers: [0x1301], extensions: [ext.sni('x.example')] });
  assert.equal(parseClientHello(full.subarray(0, full.length - 3)), undefined);
  assert.equal(parseClientHello(Buffer.from('GET / HTTP/1.1\r\n\r\n')), undefined);
  // A record whose inner lengths overrun it.
  const bad = Buffer.from(full);
  bad.writeUInt16BE(0xffff, 5 + 4 + 2 + 32 + 1);
  assert.equal(parseClientHello(bad), undefined);
});

test('the raw JA4 parts equal the spec wording (filter GREASE, hex, sort, join) on random hellos', () => {
  // The reference is the spec read literally; ja4Parts builds the same strings with a numeric sort and cached hex.
  const hex = (v: number) => v.toString(16).padStart(4, '0');
  const literal = (xs: readonly number[], sort: boolean, drop: readonly number[] = []) => {
    const kept = xs.filter((x) => !isGrease(x) && !drop.includes(x)).map(hex);
    return (sort ? kept.sort() : kept).join(',');
  };
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  // Values from the whole u16 range, GREASE and the SNI/ALPN ids among them.
  const pick = () => [0x0000, 0x0010, 0x0a0a, 0xfafa, 0x00ff, 0xc02b, 0xffff, 0x0001, 0xabcd][rand(9)]! ^ (rand(4) === 0 ? 0 : rand(65536));
  for (let i = 0; i < 300; i++) {
    const list = (n: number) => Array.from({ length: n }, pick);
    const hello = { ...specHello(), ciphers: list(rand(40)), extensions: list(rand(30)), signatureAlgorithms: list(rand(12)) };
    const p = ja4Parts(hello);
    assert.equal(p.ciphers, literal(hello.ciphers, true));
    assert.equal(p.extensions, literal(hello.extensions, true, [0x0000, 0x0010]));
    assert.equal(p.sigAlgs, literal(hello.signatureAlgorithms, false));
    assert.equal(p.a.slice(4, 8), [hello.ciphers, hello.extensions].map((xs) => String(Math.min(99, xs.filter((x) => !isGrease(x)).length)).padStart(2, '0')).join(''));
  }
});
