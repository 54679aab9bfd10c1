import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../core/clock.ts';
import type { Facet } from '../core/facet.ts';
import { RiskBook } from './risk.ts';

/** `RiskBook.add` with positional arguments, to keep the tables below short. */
const add = (
  book: RiskBook,
  facet: Facet,
  ruleId: string,
  weight: number,
  cap: number,
  explanation: string,
  now: number,
  weak = false,
) => book.add(facet, { ruleId, weight, cap, explanation, weak }, now);

test('risk halves every half-life', () => {
  const clock = new ManualClock();
  const book = new RiskBook({ halfLifeMs: 60_000, maxFacets: 10, weakCap: Infinity });
  add(book, 'ip:192.0.2.1', 'behaviour.flood', 40, 120, 'fast', clock.now());
  const cases: [advance: number, expected: number][] = [
    [0, 40],
    [60_000, 20],
    [60_000, 10],
    [120_000, 2.5],
  ];
  for (const [advance, expected] of cases) {
    clock.advance(advance);
    assert.ok(Math.abs(book.risk('ip:192.0.2.1', clock.now()) - expected) < 1e-9, `after ${advance} ms`);
  }
});

test('one rule stacks only up to its cap while different rules add up', () => {
  const book = new RiskBook({ halfLifeMs: 60_000, maxFacets: 10, weakCap: Infinity });
  for (let i = 0; i < 10; i++) add(book, 'ip:192.0.2.1', 'behaviour.timing-regular', 4, 12, 'regular', 0);
  assert.equal(book.risk('ip:192.0.2.1', 0), 12);
  add(book, 'ip:192.0.2.1', 'behaviour.id-walk', 45, 135, 'walk', 0);
  assert.equal(book.risk('ip:192.0.2.1', 0), 57);
});

test('the score is explained as a list of contributions, largest first', () => {
  const book = new RiskBook({ halfLifeMs: 60_000, maxFacets: 10, weakCap: Infinity });
  add(book, 'http:h1', 'behaviour.credential-stuffing', 45, 135, 'tried 40 accounts', 0);
  add(book, 'http:h1', 'behaviour.timing-regular', 4, 12, 'regular', 0);
  const e = book.explain('http:h1', 0);
  assert.equal(e.risk, 49);
  assert.deepEqual(
    e.contributions.map((c) => [c.ruleId, c.risk, c.explanation]),
    [
      ['behaviour.credential-stuffing', 45, 'tried 40 accounts'],
      ['behaviour.timing-regular', 4, 'regular'],
    ],
  );
});

test('relief removes a share of every contribution', () => {
  const book = new RiskBook({ halfLifeMs: 60_000, maxFacets: 10, weakCap: Infinity });
  add(book, 'ip:192.0.2.1', 'a', 40, 100, '', 0);
  add(book, 'ip:192.0.2.1', 'b', 20, 100, '', 0);
  book.relieve('ip:192.0.2.1', 0.5, 0);
  assert.equal(book.risk('ip:192.0.2.1', 0), 30);
});

test('the book forgets the stalest facet past its cap', () => {
  const book = new RiskBook({ halfLifeMs: 60_000, maxFacets: 2, weakCap: Infinity });
  for (const ip of ['1', '2', '3']) add(book, `ip:192.0.2.${ip}`, 'a', 10, 10, '', 0);
  assert.equal(book.size, 2);
  assert.equal(book.risk('ip:192.0.2.1', 0), 0);
});

test('weak contributions count together up to weakCap; strong ones add on top, and explain says so', () => {
  const book = new RiskBook({ halfLifeMs: 60_000, maxFacets: 10, weakCap: 30 });
  for (let i = 0; i < 3; i++) add(book, 'ip:192.0.2.1', 'cmdi.separator-builtin', 20, 60, 'quoted', 0, true);
  add(book, 'ip:192.0.2.1', 'xss.html-injection', 20, 60, 'markup', 0, true);
  assert.equal(book.risk('ip:192.0.2.1', 0), 30);
  add(book, 'ip:192.0.2.1', 'php.superglobal', 45, 135, 'probe', 0);
  assert.equal(book.risk('ip:192.0.2.1', 0), 75);
  const e = book.explain('ip:192.0.2.1', 0);
  assert.equal(e.risk, 75);
  assert.equal(e.weakCapped, 30);
  assert.deepEqual(
    e.contributions.map((c) => [c.ruleId, c.risk, c.weak ?? false]),
    [
      ['cmdi.separator-builtin', 60, true],
      ['php.superglobal', 45, false],
      ['xss.html-injection', 20, true],
    ],
  );
  // Below the cap nothing is said about it.
  add(book, 'ip:192.0.2.2', 'xss.html-injection', 20, 60, 'markup', 0, true);
  assert.equal(book.explain('ip:192.0.2.2', 0).weakCapped, undefined);
});

test('a rule weak on some requests and strong on others: the strong part is never capped, and never sticks', () => {
  const book = new RiskBook({ halfLifeMs: 60_000, maxFacets: 10, weakCap: 30 });
  add(book, 'ip:192.0.2.1', 'php.superglobal', 20, 60, 'in a sentence', 0, true);
  add(book, 'ip:192.0.2.1', 'php.superglobal', 45, 135, 'a probe', 0, false);
  add(book, 'ip:192.0.2.1', 'php.superglobal', 20, 60, 'in a sentence', 0, true);
  assert.equal(book.risk('ip:192.0.2.1', 0), 75);
  // A week later the strong finding has decayed away; quoted code alone is capped again.
  const week = 7 * 24 * 3_600_000;
  for (let i = 0; i < 5; i++) add(book, 'ip:192.0.2.1', 'php.superglobal', 20, 60, 'in a sentence', week, true);
  assert.ok(Math.abs(book.risk('ip:192.0.2.1', week) - 30) < 1e-6, String(book.risk('ip:192.0.2.1', week)));
});

test('relief takes its share of the risk as counted, capped weak part included', () => {
  const book = new RiskBook({ halfLifeMs: 60_000, maxFacets: 10, weakCap: 30 });
  for (const r of ['a', 'b']) add(book, 'ip:192.0.2.1', r, 60, 60, '', 0, true);
  add(book, 'ip:192.0.2.1', 's', 45, 135, '', 0);
  assert.equal(book.risk('ip:192.0.2.1', 0), 75);
  book.relieve('ip:192.0.2.1', 0.6, 0);
  assert.ok(Math.abs(book.risk('ip:192.0.2.1', 0) - 30) < 1e-9, String(book.risk('ip:192.0.2.1', 0)));
});
