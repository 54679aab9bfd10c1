import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  base64Text,
  deepDecode,
  htmlEntityDecode,
  jsEscapeDecode,
  mayNeedDecoding,
  percentUDecode,
  urlDecode,
} from './decode.ts';
import { resolveLookups } from './variants.ts';

const cases: [string, string, string][] = [
  ['double URL encoding', '%252e%252e%252f', '../'],
  ['overlong UTF-8 dot and slash', '%c0%ae%c0%ae%c0%af', '../'],
  ['three- and four-byte overlong dot and slash', '%e0%80%ae%e0%80%ae%f0%80%80%af', '../'],
  ['five- and six-byte overlong dot and slash', '%f8%80%80%80%ae%fc%80%80%80%80%ae%f8%80%80%80%af', '../'],
  ['a real three-byte character is no overlong', '%e0%a4%85%c0', '\u00e0\u00a4\u0085\u00c0'],
  ['IIS %u encoding', '%u003cscript%u003e', '<script>'],
  ['HTML entities without semicolons', '&#0000060svg&gt', '<svg>'],
  ['named entities browsers accept', 'ja&Tab;vascript&colon;', 'ja\tvascript:'],
  ['JSON \\u escapes inside a URL-encoded value', '\\u0025\\u0032\\u0037', "'"],
  ['null bytes removed', 'a%00b', 'ab'],
  ['fullwidth forms folded', '\uff1cscript\uff1e', '<script>'],
  ['slash look-alikes mapped as best-fit code pages do', '..\u2216..\u29f5win.ini\u2215x\u2044y', '..\\..\\win.ini/x/y'],
];
for (const [name, input, expected] of cases) {
  test(`deepDecode undoes ${name}`, () => assert.equal(deepDecode(input), expected));
}

// variantsOf skips deepDecode when mayNeedDecoding says no layer acts: a layer whose characters the trigger
// lacks would be skipped silently for values holding nothing else.
test('every character a decoding layer acts on triggers decoding', () => {
  for (const c of ['%', '\\', '\x00', '\x1f', '\uff0e', '\u2460', '\u2122', '\u2215', '\u2044', '\u29f8', '\u2216', '\u29f5', '\ufe68', '&#', '&l']) {
    assert.ok(mayNeedDecoding(`a${c}b`), JSON.stringify(c));
  }
  for (const [, input] of cases) assert.ok(mayNeedDecoding(input), input);
  assert.equal(mayNeedDecoding('Save & Continue, 50 items'), false);
});

test('decoding layers never throw on malformed input', () => {
  assert.equal(urlDecode('%E2%A3'), 'â£');
  assert.equal(urlDecode('100%'), '100%');
  assert.equal(percentUDecode('%uZZZZ'), '%uZZZZ');
  assert.equal(htmlEntityDecode('&#9999999999;'), '');
  assert.equal(jsEscapeDecode('\\u{110000}x'.replace('110000', '61')), 'ax');
});

test('the octal escapes of < and > decode, other octal digits stay', () => {
  assert.equal(jsEscapeDecode('\\74script\\76alert(1)\\074/script\\076'), '<script>alert(1)</script>');
  assert.equal(jsEscapeDecode('\\742'), '<2');
  assert.equal(jsEscapeDecode('C:\\42\\47\\7'), 'C:\\42\\47\\7');
});

test('deepDecode stops after a bounded number of rounds', () => {
  let v = '<';
  for (let i = 0; i < 10; i++) v = encodeURIComponent(v);
  assert.notEqual(deepDecode(v), '<');
});

test('base64 values that decode to text are unwrapped; binary and plain words are not', () => {
  assert.equal(
    base64Text(Buffer.from('<img src=x onerror=alert(1)>').toString('base64')),
    '<img src=x onerror=alert(1)>',
  );
  assert.equal(base64Text('PGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPg'), '<img src=x onerror=alert(1)>');
  assert.equal(base64Text('administrator'), undefined);
  assert.equal(base64Text(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]).toString('base64')), undefined);
});

test('Log4j lookups are resolved the way Log4j rebuilds ${jndi:', () => {
  assert.equal(resolveLookups('${${lower:J}ndi:x}'), '${jndi:x}');
  assert.equal(resolveLookups('${${env:NOPE:-j}${::-n}di:x}'), '${jndi:x}');
  assert.equal(resolveLookups('${upper:a}'), 'A');
});

test('a two-byte overlong keeps its lead byte\'s bit: %c1%9c is a backslash', () => {
  assert.equal(deepDecode('..%c1%9c..%c1%9cwin.ini%c0'), '..\\..\\win.ini\u00c0');
});
