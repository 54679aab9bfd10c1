import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { xorshiftInts as rng } from '../../src/core/prng.ts';
import { detectionConfigSchema } from '../../src/detection/config.ts';
import { createInspector, type InspectionInput } from '../../src/detection/inspector.ts';
import type { ExampleRequest } from '../../src/detection/rule-schema.ts';
import { loadRuleset } from '../../src/detection/ruleset.ts';
import { exampleToInput } from './example-request.ts';

/*
 * The pre-filters (required literals, the form-shaped libinjection gate) may only skip work, never a finding.
 * Every rule's positive examples, and many mutations of them that the decoders and transforms undo, go through the
 * optimized inspector and the reference one (`prefilters: false`: every regex runs wherever its hand-written gate
 * passes, libinjection sees every value with a gate character). A finding only the reference makes is a detection
 * loss. Attack tools and held-out corpora vary case, spacing, comments and encodings, so the mutations do too.
 */

const ruleset = loadRuleset();
const config = detectionConfigSchema.parse({ paranoia: 4, limits: { timeBudgetMicros: 50_000_000 } });
const optimized = createInspector(config, { ruleset });
const reference = createInspector(config, { ruleset, prefilters: false });
after(() => {
  optimized.close();
  reference.close();
});

type Mutation = (s: string, r: (n: number) => number) => string;

const at = (s: string, r: (n: number) => number): number => r(s.length + 1);
const splice = (s: string, i: number, add: string): string => s.slice(0, i) + add + s.slice(i);

/** Each keeps the attack meaningful to some parser (SQL, shell, browser, Log4j, a lenient path resolver). */
const MUTATIONS: Mutation[] = [
  (s, r) => [...s].map((c) => (r(2) ? c.toUpperCase() : c.toLowerCase())).join(''),
  (s, r) => s.replace(/ /g, () => [' ', '  ', '\t', '\n', '/**/', '/*x*/ '][r(6)]!),
  (s, r) =>
    s.replace(/[a-z]{3,}/gi, (w) => (r(2) ? splice(w, 1 + r(w.length - 1), pick(["''", '""', '\\', '$@'], r)) : w)),
  (s, r) => s.replace(/\//g, () => pick(['/', '\\', '//', '/./'], r)),
  (s, r) => s.replace(/[^\w]/g, (c) => (r(3) === 0 ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)),
  (s, r) =>
    s.replace(/[<>'"(]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16);
      return r(2) ? `&#x${hex};` : `%25${hex}`;
    }),
  (s, r) => s.replace(/[a-z]/gi, (c) => (r(8) === 0 ? `\\u00${c.charCodeAt(0).toString(16)}` : c)),
  (s, r) => splice(s, at(s, r), pick(['İ', 'K', 'ſ', 'é', '🎉', 'Ａ', '\u0000', ' '], r)),
  (s, r) => s.replace(/[a-z]{2,}/gi, (w) => (r(3) === 0 ? w.split('').join(' ') : w)),
  (s, r) => s.replace(/\$\{/g, () => pick(['${', '${${lower:$}{', '${::-$}{'], r)),
  (s, r) => `${pick(['a=1&q=', 'x&', '', '{"k":"', 'https://x.example/?a=', 'id=1;'], r)}${s}`,
  (s, r) => {
    const i = at(s, r);
    return s.slice(0, i) + s.slice(i + 1);
  },
];

function pick<T>(xs: readonly T[], r: (n: number) => number): T {
  return xs[r(xs.length)]!;
}

/** The same text, placed where different extractors and input kinds see it. */
function placements(v: string): InspectionInput[] {
  const base = exampleToInput(v);
  return [
    base,
    { ...base, headers: { ...base.headers, 'x-note': v } },
    { ...base, headers: { ...base.headers, cookie: `s=${encodeURIComponent(v)}` } },
    {
      ...base,
      method: 'POST',
      rawQuery: '',
      body: Buffer.from(JSON.stringify({ q: v })),
      contentType: 'application/json',
      headers: { ...base.headers, 'content-type': 'application/json' },
    },
  ];
}

function mutateRequest(ex: ExampleRequest, m: Mutation, r: (n: number) => number): ExampleRequest {
  const out: ExampleRequest = { ...ex };
  if (ex.query !== undefined) out.query = m(ex.query, r);
  if (ex.body !== undefined) out.body = m(ex.body, r);
  if (ex.headers !== undefined) {
    out.headers = Object.fromEntries(
      Object.entries(ex.headers).map(([k, v]) => [
        k,
        /^(host|content-type|content-length)$/i.test(k) ? v : m(v, r),
      ]),
    );
  }
  return out;
}

const key = (f: { ruleId: string; location?: string }): string => `${f.ruleId}@${f.location ?? ''}`;

function lost(input: InspectionInput): string[] {
  const got = new Set(optimized.inspect(input).map(key));
  return reference
    .inspect(input)
    .map(key)
    .filter((k) => !got.has(k) && !k.startsWith('inspection.'));
}

test('the pre-filters never lose a finding on rule examples and their mutations', () => {
  const r = rng(0x9e3779b9);
  let compared = 0;
  let referenceFindings = 0;
  const losses: string[] = [];
  for (const rule of ruleset.rules) {
    for (const ex of rule.def.examples.positive) {
      const inputs: InspectionInput[] = [];
      for (let k = 0; k < 3; k++) {
        for (const m of MUTATIONS) {
          if (typeof ex === 'string') inputs.push(...placements(m(ex, r)));
          else inputs.push(exampleToInput(mutateRequest(ex, m, r)));
        }
      }
      inputs.push(...(typeof ex === 'string' ? placements(ex) : [exampleToInput(ex)]));
      for (const input of inputs) {
        compared++;
        const l = lost(input);
        referenceFindings += reference.inspect(input).length > 0 ? 1 : 0;
        if (l.length > 0) losses.push(`${rule.id} ${JSON.stringify(input).slice(0, 300)}: ${l.join(' ')}`);
      }
    }
  }
  assert.deepEqual(losses.slice(0, 20), [], `${losses.length} of ${compared} inputs lost findings`);
  // Mostly attacks, so the reference must find something in most: otherwise the comparison proved nothing.
  assert.ok(
    referenceFindings > compared * 0.8,
    `reference found something in only ${referenceFindings} of ${compared}`,
  );
});

test('the reference path really runs the regexes the pre-filter skips (the comparison is not of one path twice)', () => {
  const counted = loadRuleset();
  let runs = 0;
  for (const rule of counted.rules) {
    const re = rule.regex;
    if (re === undefined) continue;
    re.exec = (text: string) => {
      runs++;
      return RegExp.prototype.exec.call(re, text);
    };
  }
  const input = exampleToInput('{"name": "Zoë (admin)", "tags": ["a", "b"]}');
  const count = (prefilters: boolean): number => {
    const inspector = createInspector(config, { ruleset: counted, prefilters });
    runs = 0;
    inspector.inspect(input);
    inspector.close();
    return runs;
  };
  const opt = count(true);
  const ref = count(false);
  assert.ok(opt < ref / 4, `optimized ran ${opt} regexes, reference ${ref}`);
});
