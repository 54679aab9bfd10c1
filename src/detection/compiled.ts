import { CleanCache } from './clean-cache.ts';
import type { DetectionConfig } from './config.ts';
import { compileExclusions, type ExclusionMatcher } from './exclusions.ts';
import type { CompiledRule, Ruleset } from './ruleset.ts';
import { INPUT_KINDS, type InputKind } from './types.ts';
import { WafEngine } from './waf.ts';

/**
 * Everything `inspect` needs, built once per (ruleset, config) and swapped whole on reload (style rule 6):
 * rules bucketed by input kind and plainness so the hot path never filters, the libddwaf handle, exclusions and
 * a cache of header values already found clean.
 */
export interface CompiledState {
  readonly config: DetectionConfig;
  readonly checks: readonly CompiledRule[];
  readonly byKind: ReadonlyMap<InputKind, readonly CompiledRule[]>;
  readonly plainByKind: ReadonlyMap<InputKind, readonly CompiledRule[]>;
  /**
   * Per kind, one regex that is the union of every plain rule's pattern (rules using back-references excepted,
   * they always run): most plain values match none, and one union test is several times cheaper than ~30 tests.
   */
  readonly plainUnion: ReadonlyMap<InputKind, { readonly union: RegExp; readonly always: readonly CompiledRule[] }>;
  readonly wafKinds: ReadonlySet<InputKind>;
  readonly waf: WafEngine;
  readonly rulesById: ReadonlyMap<string, CompiledRule>;
  readonly monitorOnly: ReadonlySet<string>;
  readonly excluded: ExclusionMatcher;
  readonly hasExclusions: boolean;
  /**
   * Values seen clean under this state: text → bit set of the input kinds (`KIND_BIT`) it was clean as. Keyed by
   * the text alone so a lookup needs no concatenated key (an allocation and a hash per input), or for secrets by
   * a number (`value-hash.ts`); bounded (`clean-cache.ts`).
   */
  readonly clean: CleanCache;
}

/** One bit per input kind, for the clean-value cache. */
export const KIND_BIT: ReadonlyMap<InputKind, number> = new Map(INPUT_KINDS.map((k, i) => [k, 1 << i]));

export function activeRules(
  ruleset: Ruleset,
  config: DetectionConfig,
  disabledFamilies: readonly string[],
): CompiledRule[] {
  const offCategories = new Set([...config.disabledCategories, ...disabledFamilies]);
  const offRules = new Set(config.disabledRules);
  return ruleset.rules.filter(
    (r) => r.paranoia <= config.paranoia && !offCategories.has(r.category) && !offRules.has(r.id),
  );
}

export function compileState(
  ruleset: Ruleset,
  config: DetectionConfig,
  disabledFamilies: readonly string[],
): CompiledState {
  const rules = activeRules(ruleset, config, disabledFamilies);
  const byKind = new Map<InputKind, CompiledRule[]>();
  const plainByKind = new Map<InputKind, CompiledRule[]>();
  const wafKinds = new Set<InputKind>();
  for (const kind of INPUT_KINDS) {
    byKind.set(kind, []);
    plainByKind.set(kind, []);
  }
  for (const r of rules) {
    if (r.check !== undefined) continue;
    for (const kind of r.targets) {
      if (r.operator !== undefined) {
        wafKinds.add(kind);
        continue;
      }
      byKind.get(kind)!.push(r);
      if (r.plain) plainByKind.get(kind)!.push(r);
    }
  }
  const plainUnion = new Map<InputKind, { union: RegExp; always: CompiledRule[] }>();
  for (const [kind, list] of plainByKind) {
    const always = list.filter((r) => /\\[1-9]/.test(r.regex!.source));
    const unionable = list.filter((r) => !always.includes(r));
    if (unionable.length > 0) {
      plainUnion.set(kind, {
        union: new RegExp(unionable.map((r) => `(?:${r.regex!.source})`).join('|'), 'i'),
        always,
      });
    }
  }
  return {
    config,
    plainUnion,
    checks: rules.filter((r) => r.check !== undefined),
    byKind,
    plainByKind,
    wafKinds,
    waf: new WafEngine(rules),
    rulesById: new Map(ruleset.rules.map((r) => [r.id, r])),
    monitorOnly: new Set(config.monitorOnly),
    excluded: compileExclusions(config.exclusions),
    hasExclusions: config.exclusions.length > 0,
    clean: new CleanCache(),
  };
}
