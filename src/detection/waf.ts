import { createRequire } from 'node:module';
import { PortcullisError } from '../core/errors.ts';
import type { CompiledRule } from './ruleset.ts';

// @datadog/native-appsec is CommonJS with a native addon; createRequire keeps it out of ESM's named-export analysis.
const require = createRequire(import.meta.url);

interface WafContext {
  run(payload: { ephemeral?: object; persistent?: object }, timeoutMicros: number): WafResult;
  dispose(): void;
}
interface WafResult {
  timeout: boolean;
  events?: {
    rule: { id: string };
    rule_matches: { parameters: { key_path: string[]; value: string; highlight: string[] }[] }[];
  }[];
}
interface WafHandle {
  createContext(): WafContext;
  dispose(): void;
  readonly diagnostics: { rules?: { failed?: string[]; errors?: Record<string, string[]> } };
}

/** Calls per libddwaf context before a fresh one (see `run`). */
const CONTEXT_RUNS = 4096;

/** The libddwaf address both operators read: `{ [location]: [variant, …] }`, only values that need libinjection. */
const ADDRESS = 'portcullis.values';
/** Variants for the SQLi operator alone (libinjection-text.ts: an HTML fragment's entity decoding), same shape. */
const SQLI_ADDRESS = 'portcullis.sqli-only';

export interface WafMatch {
  readonly ruleId: string;
  readonly location: string;
  readonly value: string;
}

/**
 * libddwaf runs the operators we cannot do as well in JS: libinjection's SQLi tokenizer/fingerprinter and its
 * HTML5-tokenizer XSS detector. It is fed a compact object of only the values the pre-filter let through —
 * converting JS objects to ddwaf objects is most of its cost (measured: ~18 µs inside libddwaf of ~48 µs per call).
 */
export class WafEngine {
  /** Absent when no active rule needs libddwaf (e.g. sqli and xss both disabled): libddwaf refuses empty rulesets. */
  #handle: WafHandle | undefined;
  #context: WafContext | undefined;
  #runs = 0;
  readonly ruleIds: readonly string[];

  constructor(rules: readonly CompiledRule[]) {
    const { DDWAF } = require('@datadog/native-appsec') as {
      DDWAF: new (rules: object, path: string) => WafHandle;
    };
    const wafRules = rules
      .filter((r) => r.operator !== undefined)
      .map((r) => ({
        id: r.id,
        name: r.description,
        tags: { type: r.category, category: 'attack_attempt' },
        conditions: [
          {
            operator: r.operator,
            parameters: {
              inputs: r.operator === 'is_sqli' ? [{ address: ADDRESS }, { address: SQLI_ADDRESS }] : [{ address: ADDRESS }],
            },
          },
        ],
        transformers: [],
      }));
    this.ruleIds = wafRules.map((r) => r.id);
    if (wafRules.length === 0) return;
    try {
      this.#handle = new DDWAF(
        { version: '2.2', metadata: { rules_version: 'portcullis' }, rules: wafRules },
        'portcullis',
      );
    } catch (e) {
      throw new PortcullisError('PC_ERR_DETECTION_ENGINE', `libddwaf could not load: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const failed = this.#handle.diagnostics.rules?.failed ?? [];
    const errors = this.#handle.diagnostics.rules?.errors;
    if (failed.length > 0) {
      throw new PortcullisError(
        'PC_ERR_DETECTION_ENGINE',
        `libddwaf rejected rules ${failed.join(', ')}: ${JSON.stringify(errors)}`,
      );
    }
  }

  /**
   * One libddwaf call for the whole request; `sqliOnly` holds variants only the SQLi operator reads. `timedOut` means
   * libddwaf gave up: the caller decides fail-open/closed.
   *
   * Values go in as ephemeral data, which libddwaf evaluates afresh on every run and drops after it, so one context
   * serves many requests (creating and disposing one per call cost ~1.5 µs of ~7.5 µs, measured). It is replaced
   * every CONTEXT_RUNS calls all the same, so nothing a context might keep can grow without bound, and after a
   * call that threw.
   */
  run(
    values: Record<string, string[]>,
    budgetMicros: number,
    sqliOnly?: Record<string, string[]>,
  ): { matches: WafMatch[]; timedOut: boolean } {
    if (this.#handle === undefined) return { matches: [], timedOut: false };
    if (this.#context === undefined || this.#runs >= CONTEXT_RUNS) {
      this.#context?.dispose();
      this.#context = this.#handle.createContext();
      this.#runs = 0;
    }
    const ctx = this.#context;
    this.#runs++;
    let result: WafResult;
    try {
      const ephemeral = sqliOnly === undefined ? { [ADDRESS]: values } : { [ADDRESS]: values, [SQLI_ADDRESS]: sqliOnly };
      result = ctx.run({ ephemeral }, Math.max(1, Math.floor(budgetMicros)));
    } catch (e) {
      this.#context = undefined;
      ctx.dispose();
      throw e;
    }
    const matches: WafMatch[] = [];
    for (const ev of result.events ?? []) {
      for (const rm of ev.rule_matches) {
        for (const p of rm.parameters) {
          matches.push({ ruleId: ev.rule.id, location: p.key_path[0] ?? 'unknown', value: p.value });
        }
      }
    }
    return { matches, timedOut: result.timeout };
  }

  dispose(): void {
    this.#context?.dispose();
    this.#context = undefined;
    this.#handle?.dispose();
  }
}
