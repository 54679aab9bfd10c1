import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDocument, PROSE_RUN } from './document.ts';

const prose = (n: number) =>
  Array.from({ length: n }, (_, i) => ['the', 'user', "didn't", 'enter', 'data,', 'and', 'then', 'left.'][i % 8]).join(' ');

describe('isDocument', () => {
  test('two paragraphs of prose make a document, even with quoted SQL between them', () => {
    const text = `${prose(PROSE_RUN + 20)}\n\n' OR '1'='1' --\n\n${prose(PROSE_RUN + 20)}`;
    assert.equal(isDocument(text), true);
  });
  test('one paragraph is not a document, however long', () => {
    assert.equal(isDocument(`${prose(400)} ' OR '1'='1' --`), false);
  });
  test('paragraphs whose word runs are broken by code are not prose', () => {
    const code = Array.from({ length: 60 }, (_, i) => `x${i}=1;`).join(' ');
    assert.equal(isDocument(`${code}\n\n${code}\n\n${code}`), false);
  });
  test('payloads padded with blank lines but no prose are not documents', () => {
    assert.equal(isDocument(`${"' OR 1=1 -- ".repeat(40)}\n\n\n\n${"' OR 1=1 -- ".repeat(40)}`), false);
  });
});
