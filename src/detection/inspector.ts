import { type Finding, truncateFragment } from '../core/finding.ts';
import { type CompiledState, compileState } from './compiled.ts';
import { type DetectionConfig, detectionConfigSchema } from './config.ts';
import { loadRuleset, type Ruleset } from './ruleset.ts';
import { runInspection } from './run.ts';
import type { InspectionInput } from './types.ts';

export type { InspectionInput } from './types.ts';

export interface Inspector {
  /** Synchronous: extraction, JS rules and one libddwaf call, all inside the configured time budget. */
  inspect(input: InspectionInput): Finding[];
  /** Atomic swap: requests in flight finish on the old state, the next one sees the new config. */
  reload(config: DetectionConfig): void;
  /** Category names usable with `--disable` (one per rule file, plus `inspection` for limits). */
  readonly families: readonly string[];
  close(): void;
}

export interface InspectorOptions {
  readonly disabledFamilies?: readonly string[];
  /** Another rules directory (tests); defaults to the shipped `rules/`. */
  readonly rulesDir?: string;
  /** An already loaded ruleset (the eval script builds one per paranoia level from the same files). */
  readonly ruleset?: Ruleset;
  /**
   * false: the reference path, for soundness tests and ad-hoc differential runs only (never configured in
   * production): no literal pre-filter (every regex runs wherever its hand-written gate passes) and libinjection
   * gets every value holding one of its characters, form-shaped or not. The optimized path must find everything
   * this one finds.
   */
  readonly prefilters?: boolean;
}

/**
 * V8 compiles a regex on its first use; the first request after start or reload would pay for ~200 of them and
 * trip the time budget. One synthetic request per compiled state pays that up front.
 */
function warmUp(state: CompiledState): void {
  // V8 compiles a regex separately for one-byte and two-byte subject strings and tiers it up on reuse, so the
  // warm-up sends both kinds of text (ASCII and emoji) through every rule, twice. Directly, too: the literal
  // pre-filter keeps most regexes off the synthetic request below, and a first compile of a large alternation
  // costs milliseconds (measured: a 520-argument request went from ~1.5 ms to ~12 ms without this).
  const seen = new Set<RegExp>();
  for (const list of state.byKind.values()) {
    for (const rule of list) {
      for (const re of [rule.regex, rule.split?.atStart, rule.split?.elsewhere, rule.confirm?.regex]) {
        if (re === undefined || seen.has(re)) continue;
        seen.add(re);
        for (let round = 0; round < 2; round++) for (const text of ['warm-up 1', 'warm-up 🎉']) re.exec(text);
      }
    }
  }
  for (let round = 0; round < 2; round++) {
    for (const text of ["1' or 1=1 <b> ../ $(y) ${z} | cat", "Zoë 🎉 (x) 'a' ; b | c <i> ${d} ../e"]) {
      runInspection(state, {
        method: 'POST',
        path: `/warm-up/${encodeURIComponent(text)}`,
        rawQuery: `q=${encodeURIComponent(text)}`,
        headers: { host: 'localhost', 'user-agent': text, cookie: `a=${encodeURIComponent(text)}` },
        body: Buffer.from(JSON.stringify({ a: text })),
        bodyComplete: true,
        contentType: 'application/json',
      });
      state.clean.clear();
    }
  }
}

function inspectionError(state: CompiledState, error: unknown): Finding {
  const message = truncateFragment(error instanceof Error ? error.message : String(error));
  return {
    ruleId: 'inspection.error',
    category: 'inspection',
    severity: state.config.limitOutcome === 'block' ? 'critical' : 'medium',
    location: 'request',
    fragment: message,
    explanation: `Inspection failed on this request (${message}); it was not fully inspected.`,
  };
}

export function createInspector(config: DetectionConfig, opts: InspectorOptions = {}): Inspector {
  const ruleset = opts.ruleset ?? loadRuleset(opts.rulesDir);
  const disabled = opts.disabledFamilies ?? [];
  let state: CompiledState = compileState(ruleset, detectionConfigSchema.parse(config), disabled, opts.prefilters ?? true);
  warmUp(state);
  const inspectionOff = disabled.includes('inspection');
  return {
    families: [...ruleset.categories, 'inspection'],
    inspect(input) {
      let findings: Finding[];
      try {
        findings = runInspection(state, input);
      } catch (error) {
        // A bug must not become a bypass or take the gateway down: the request gets a finding like a crossed limit.
        findings = [inspectionError(state, error)];
      }
      return inspectionOff ? findings.filter((f) => f.category !== 'inspection') : findings;
    },
    reload(next) {
      // Build first, swap second: a bad config throws here and the old state keeps serving.
      const fresh = compileState(ruleset, detectionConfigSchema.parse(next), disabled, opts.prefilters ?? true);
      warmUp(fresh);
      const old = state;
      state = fresh;
      old.waf.dispose();
    },
    close() {
      state.waf.dispose();
    },
  };
}
