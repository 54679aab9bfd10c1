import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDataUrl } from '../../src/detection/data-url.ts';
import { deepDecode } from '../../src/detection/decode.ts';
import { isDocument } from '../../src/detection/document.ts';
import { maskHtmlCode } from '../../src/detection/html-code.ts';
import { maskMarkdownCode } from '../../src/detection/markdown-code.ts';
import { TRANSFORMS } from '../../src/detection/rule-schema.ts';
import { isMention } from '../../src/detection/sentence.ts';
import { maskStackTrace } from '../../src/detection/stack-trace.ts';
import { xmlValues } from '../../src/detection/xml.ts';
import { fileContent } from '../../src/detection/file-content.ts';
import { applyTransform, variantsOf } from '../../src/detection/variants.ts';
import { libinjectionText, libinjectionTexts } from '../../src/detection/libinjection-text.ts';
import { needsLibinjection } from '../../src/detection/waf-gate.ts';

// redos.test.ts holds the rules' regexes to linear growth; the modules around them run regexes of their own on the
// same attacker-controlled text. A fifth review found one of them quadratic (the data: URL check: 120 KB of line
// breaks after `data:image/png;base64,A` cost 16 s with the event loop blocked), which no test had covered. Each
// entry point below runs on 32 KiB (the value cap) and 4 KiB of every seed; growth past 24x fails.
const SEEDS = [
  'a',
  ' ',
  '\n',
  '\r\n',
  'A\n',
  '(',
  "'",
  '"',
  '`',
  '```\n',
  '<',
  '%',
  '%2',
  '&#',
  '\\u00',
  '${',
  '/',
  '/etc/x ',
  'word ',
  '; ',
  '-- ',
  'a=',
  '?a=b&',
  'at a.b',
  'java.lang.',
  'a.Exception',
  '$a.',
  '<a b="',
  '<![CDATA[',
  '<?',
  '<code>',
  '<pre class="a">x</code>',
  'url(',
  'data:image/png;base64,',
  '<style>',
  '<meta ',
  '<meta/',
  '<link',
  '<!doctype html',
  '&lt;link ',
  '&lt;style ',
  '&lt;meta ',
];
const PREFIXES = ['', 'data:image/png;base64,', 'data:image/png;base64,A', 'data:,', 'https://x.example/a?'];
const LENGTH = 32_768;
const SHORT = 4096;
/**
 * Under this at 32 KiB nothing is judged by its growth: with the full suite's files running beside it, linear code
 * read 28 ms against 0.9 at 4 KiB (maskMarkdownCode on fences: 6 ms alone); the shapes this guards against take
 * seconds there (the data: URL check 16 s on 120 KB, base64Text 21 s on 4 KiB).
 */
const FLOOR_MS = 80;
const GROWTH_MAX = 24;
const CEILING_MS = 400;
/** 1 KiB is 1/32 of the cap: a linear entry point under the ceiling takes a few ms there. */
const TINY_MAX_MS = 50;

const ENTRY_POINTS: [name: string, run: (text: string) => unknown][] = [
  ['parseDataUrl', (t) => parseDataUrl(t, 8192)],
  ['isMention', (t) => isMention('/etc/passwd', [`${t} /etc/passwd`, t])],
  ['maskMarkdownCode', (t) => maskMarkdownCode(t)],
  ['maskStackTrace', (t) => maskStackTrace(t)],
  ['maskHtmlCode', (t) => maskHtmlCode(`<p>${t}`)],
  ['libinjectionText', (t) => libinjectionText(t)],
  // An HTML fragment with escaped markup: the escaped-tag test and the code-element scan both run.
  ['libinjectionTexts', (t) => libinjectionTexts([`<p>&lt;link rel=stylesheet&gt;${t}`, `<p><link rel=stylesheet>${t}`])],
  ['xmlValues', (t) => xmlValues(`<r>${t}</r>`, 1024)],
  ['fileContent', (t) => fileContent(t, 1024)],
  ['isDocument', (t) => isDocument(t)],
  ['needsLibinjection', (t) => needsLibinjection(t)],
  ['deepDecode', (t) => deepDecode(t)],
  ['variantsOf', (t) => variantsOf(t, 'body')],
  ...TRANSFORMS.map((tr): [string, (text: string) => unknown] => [`applyTransform ${tr}`, (t) => applyTransform(t, tr)]),
];

const cpuMs = (f: () => void): number => {
  const c0 = process.cpuUsage();
  f();
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
};

const input = (prefix: string, seed: string, length: number): string =>
  `${prefix}${seed.repeat(Math.ceil(length / seed.length))}!`;

test('every module that runs its own regexes on a value grows linearly on 32 KiB of adversarial input', () => {
  const slow: string[] = [];
  for (const [name, run] of ENTRY_POINTS) {
    for (const prefix of PREFIXES) {
      for (const seed of SEEDS) {
        // A quadratic or cubic shape is already slow at 1 KiB; stopping there keeps a failure from hanging the suite.
        const tiny = cpuMs(() => run(input(prefix, seed, 1024)));
        if (tiny > TINY_MAX_MS) {
          slow.push(`${name} on ${JSON.stringify(prefix + seed)}: ${tiny.toFixed(0)} ms at 1 KiB`);
          continue;
        }
        const long = input(prefix, seed, LENGTH);
        let ms = cpuMs(() => run(long));
        if (ms <= FLOOR_MS) continue;
        ms = Math.min(ms, cpuMs(() => run(long)));
        const short = input(prefix, seed, SHORT);
        const shortMs = Math.max(0.5, Math.min(cpuMs(() => run(short)), cpuMs(() => run(short))));
        if (ms > CEILING_MS || (ms > FLOOR_MS && ms / shortMs > GROWTH_MAX))
          slow.push(`${name} on ${JSON.stringify(prefix + seed)}: ${ms.toFixed(0)} ms at 32 KiB, ${shortMs.toFixed(1)} at 4 KiB`);
      }
    }
  }
  assert.deepEqual(slow, []);
});
