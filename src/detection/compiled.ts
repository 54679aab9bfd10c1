import { Memo } from '../core/memo.ts';
import { CleanCache } from './clean-cache.ts';
import { LiteralScan } from './prefilter.ts';
import type { DetectionConfig } from './config.ts';
import { keyPath } from './form.ts';
import { normalParam, paramOf } from './param-name.ts';
import { compileExclusions, type ExclusionMatcher } from './exclusions.ts';
import type { CompiledRule, Ruleset } from './ruleset.ts';
import { INPUT_KINDS, type InputKind } from './types.ts';
import { transformTrigger } from './variants.ts';
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
   * The literal pre-filter (`prefilter.ts`): one pass per value variant finds which rules' required literals and
   * gate entries it holds. `needGate[rule.index]` and `needLit[rule.index]` are the rule's key masks in word
   * `rule.index >>> 4` of the scan's bit set (0: nothing required): the gate is checked on the value, the
   * literals on the text the regex runs on (the transformed value, scanned again only when a transform changed it).
   */
  readonly scan: LiteralScan;
  readonly needGate: Int32Array;
  readonly needLit: Int32Array;
  /** Whether a value could be changed by any active rule's transforms (`variants.ts`); undefined: none are used. */
  readonly transformTrigger: RegExp | undefined;
  /**
   * The same requirements as word masks over the scan's bit set, for choosing a value's candidate rules a word
   * (16 rules) at a time instead of one rule at a time: `gateReq` has the gate bit (odd) of every rule with a gate,
   * `litReq` the literal bit (even) of every rule with literals, `transformed` the literal bit of every rule with
   * transforms, and `kindMask` / `plainKindMask` the literal bit of every rule in `byKind` / `plainByKind`.
   */
  readonly gateReq: Int32Array;
  readonly litReq: Int32Array;
  readonly transformed: Int32Array;
  readonly kindMask: ReadonlyMap<InputKind, Int32Array>;
  readonly plainKindMask: ReadonlyMap<InputKind, Int32Array>;
  /** Rules by index, for the candidates the masks select. */
  readonly byIndex: readonly CompiledRule[];
  /** Rules whose gate has non-ASCII entries, checked the slow way (`includes` on the lower-cased text). */
  readonly slowGate: ReadonlySet<CompiledRule>;
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
  /** false: the reference path (`InspectorOptions.prefilters`): no literal pre-filter, no form-shaped gate. */
  readonly prefilters: boolean;
  /**
   * Whether a field name — a form key (`user[password]`), a JSON key, an XML path (`Login.@password`), a JSF or
   * ASP.NET name — is a password field's (`credential-fields.ts`); remembered per name.
   */
  readonly isCredential: (name: string) => boolean;
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

const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/**
 * A rule's required literals are those of the text its regex runs on: with transforms that is the transformed
 * text, which may hold literals the value does not (`c'a't` → `cat`). Gates apply to the value before
 * transforms, as they always did.
 */
function compilePrefilter(ruleset: Ruleset, rules: readonly CompiledRule[], literals: boolean) {
  const entries: { literal: string; key: number }[] = [];
  // Int32Array: `bits & mask` is a signed 32-bit value, and the comparison needs the mask signed too (bit 31).
  const needGate = new Int32Array(ruleset.rules.length);
  const needLit = new Int32Array(ruleset.rules.length);
  const slowGate = new Set<CompiledRule>();
  for (const r of rules) {
    if (r.regex === undefined) continue;
    const key = 2 * r.index;
    if (literals && r.literals !== undefined) {
      for (const literal of r.literals) entries.push({ literal, key });
      needLit[r.index] = 1 << (key & 31);
    }
    if (r.gate !== undefined) {
      if (!r.gate.every(isAscii)) slowGate.add(r);
      else {
        for (const literal of r.gate) entries.push({ literal, key: key + 1 });
        needGate[r.index] = 1 << ((key + 1) & 31);
      }
    }
  }
  return { scan: new LiteralScan(entries, 2 * ruleset.rules.length), needGate, needLit, slowGate };
}

export function compileState(
  ruleset: Ruleset,
  config: DetectionConfig,
  disabledFamilies: readonly string[],
  prefilters = true,
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
  const { scan, needGate, needLit, slowGate } = compilePrefilter(ruleset, rules, prefilters);
  const words = scan.words;
  const gateReq = new Int32Array(words);
  const litReq = new Int32Array(words);
  const transformed = new Int32Array(words);
  for (const r of rules) {
    const w = r.index >>> 4;
    gateReq[w] = gateReq[w]! | needGate[r.index]!;
    litReq[w] = litReq[w]! | needLit[r.index]!;
    if (r.transforms.length > 0) transformed[w] = transformed[w]! | (1 << ((2 * r.index) & 31));
  }
  const masks = (lists: Map<InputKind, CompiledRule[]>): Map<InputKind, Int32Array> =>
    new Map(
      [...lists].map(([kind, list]) => {
        const m = new Int32Array(words);
        for (const r of list) m[r.index >>> 4] = m[r.index >>> 4]! | (1 << ((2 * r.index) & 31));
        return [kind, m];
      }),
    );
  const transforms = new Set(rules.filter((r) => r.regex !== undefined).flatMap((r) => r.transforms));
  return {
    config,
    scan,
    needGate,
    needLit,
    slowGate,
    transformTrigger: transformTrigger(transforms),
    checks: rules.filter((r) => r.check !== undefined),
    byKind,
    plainByKind,
    gateReq,
    litReq,
    transformed,
    kindMask: masks(byKind),
    plainKindMask: masks(plainByKind),
    byIndex: ruleset.rules,
    wafKinds,
    waf: new WafEngine(rules),
    rulesById: new Map(ruleset.rules.map((r) => [r.id, r])),
    monitorOnly: new Set(config.monitorOnly),
    excluded: compileExclusions(config.exclusions),
    hasExclusions: config.exclusions.length > 0,
    clean: new CleanCache(),
    prefilters,
    isCredential: credentialMatcher(config.credentialFields),
  };
}

/**
 * Field names repeat (the same API fields on every request): each is judged once, in a bounded memo. Only names of
 * a field's usual length are kept: 1,024 names of a body's size each (a review sent 120 KB keys) held 160 MB.
 */
const MEMO_NAME_MAX = 128;
export function credentialMatcher(
  fields: readonly string[],
  judged = new Memo<boolean>(1024),
): (name: string) => boolean {
  if (fields.length === 0) return () => false;
  const names = new Set(fields.map(normalParam));
  const judge = (name: string): boolean => names.has(normalParam(paramOf(keyPath(name))));
  return (name) => (name.length > MEMO_NAME_MAX ? judge(name) : judged.get(name, judge));
}
