import { z } from 'zod';
import { SEVERITIES } from '../core/finding.ts';
import { INPUT_KINDS } from './types.ts';

/**
 * The ruleset is data: one YAML file per category under `rules/`. This schema is its contract; a rule file that
 * does not satisfy it stops the gateway at start (never a half-loaded ruleset).
 *
 * A rule matches in exactly one way:
 *   regex     a JavaScript regular expression, run on every decoded variant of each targeted value
 *   phrases   words or phrases matched case-insensitively at word boundaries (compiled to one regex)
 *   operator  a libddwaf operator (libinjection's `is_sqli` / `is_xss`), run inside libddwaf
 *   check     a named request-level check in `checks/` (protocol anomalies need code, not patterns)
 */
const exampleRequestSchema = z
  .object({
    method: z.string().optional(),
    path: z.string().optional(),
    query: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().optional(),
    contentType: z.string().optional(),
  })
  .strict();
export type ExampleRequest = z.infer<typeof exampleRequestSchema>;

/** A bare string is sent as the value of query arg `q` (URL-encoded by the test). */
const exampleSchema = z.union([z.string(), exampleRequestSchema]);

export const TRANSFORMS = ['cmdline', 'sqlcomments', 'path', 'compact', 'lookups'] as const;
export type Transform = (typeof TRANSFORMS)[number];

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'rule ids are dotted lowercase, e.g. sqli.union-based'),
    severity: z.enum(SEVERITIES),
    paranoia: z.number().int().min(1).max(4).default(1),
    description: z.string().min(10),
    targets: z.array(z.enum(INPUT_KINDS)).min(1).optional(),
    /** Also run on values made only of letters, digits and `_.@:+-` (most rules need punctuation to fire). */
    plain: z.boolean().default(false),
    /** Match case-sensitively (shell commands are lower-case; prose starting with "Ansible" is not a command). */
    caseSensitive: z.boolean().default(false),
    regex: z.string().optional(),
    phrases: z.array(z.string().min(2)).min(1).optional(),
    operator: z.enum(['is_sqli', 'is_xss']).optional(),
    check: z.string().optional(),
    transforms: z.array(z.enum(TRANSFORMS)).default([]),
    /**
     * Pre-filter: the rule runs on a value only if it contains at least one of these substrings (case-insensitive
     * when an entry has letters). Cheap `indexOf` checks keep ~150 regexes off values that cannot match them;
     * every positive example must pass the gate, which the example tests check.
     */
    gate: z.array(z.string().min(1)).min(1).optional(),
    /**
     * Corroboration: when the matched value does not also match `regex`, the finding gets severity `otherwise`.
     * For detectors with known false-positive shapes (libinjection on prose with parentheses), this keeps the
     * finding as risk without letting it block alone.
     */
    confirm: z
      .object({
        regex: z.string().optional(),
        otherwise: z.enum(SEVERITIES),
        /** Also `otherwise` when the value quotes code the Markdown way: a fence, or a span inside prose. */
        notInMarkdownCode: z.boolean().default(false),
        /** Also `otherwise` when the match lies only in `<pre>`/`<code>` elements of rich text (`html-code.ts`). */
        notInHtmlCode: z.boolean().default(false),
        /** Also `otherwise` when the value is a document of prose paragraphs (`document.ts`). */
        notInDocument: z.boolean().default(false),
        /** Also `otherwise` when the value mentions the match in a sentence: a bare token among prose (`sentence.ts`). */
        notInSentence: z.boolean().default(false),
        /** Also `otherwise` when the match lies only in JVM stack frames or exception type names (`stack-trace.ts`). */
        notInStackTrace: z.boolean().default(false),
        /**
         * Also `otherwise` in parameters of these names (the last part of the location, compared without case, `_`
         * or `-`: `query.redirect_uri`, `body.client.redirectUris`), whose values a standard says the server hands
         * back, never fetches or opens — and, with `values`, only when the matched text also matches that regex.
         */
        notInParams: z
          .object({
            names: z.array(z.string().regex(/^[\w-]+$/, 'a parameter name, without the location prefix')).min(1),
            values: z.string().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .refine(
        (c) =>
          c.regex !== undefined ||
          c.notInMarkdownCode ||
          c.notInHtmlCode ||
          c.notInDocument ||
          c.notInSentence ||
          c.notInStackTrace ||
          c.notInParams !== undefined,
        {
          message:
            'confirm needs a regex, notInMarkdownCode, notInHtmlCode, notInDocument, notInSentence, notInStackTrace or notInParams',
        },
      )
      .optional(),
    examples: z
      .object({ positive: z.array(exampleSchema).min(1), negative: z.array(exampleSchema).default([]) })
      .strict(),
  })
  .strict()
  .refine((r) => [r.regex, r.phrases, r.operator, r.check].filter((x) => x !== undefined).length === 1, {
    message: 'a rule has exactly one of regex, phrases, operator, check',
  })
  // The Markdown, HTML-code and stack-trace tests run the rule's regex again on the masked text (run.ts onlyInMasked).
  .refine(
    (r) =>
      !(
        r.confirm?.notInMarkdownCode === true ||
        r.confirm?.notInHtmlCode === true ||
        r.confirm?.notInStackTrace === true
      ) ||
      r.regex !== undefined ||
      r.phrases !== undefined,
    { message: 'confirm.notInMarkdownCode, notInHtmlCode and notInStackTrace need a regex or phrases rule' },
  );
export type RuleDef = z.infer<typeof ruleSchema>;

export const ruleFileSchema = z
  .object({
    category: z.string().regex(/^[a-z0-9-]+$/),
    description: z.string(),
    rules: z.array(ruleSchema).min(1),
  })
  .strict();
export type RuleFile = z.infer<typeof ruleFileSchema>;
