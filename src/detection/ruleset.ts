import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PortcullisError } from '../core/errors.ts';
import type { Severity } from '../core/finding.ts';
import { PACKAGE_ROOT } from '../core/package-root.ts';
import { type AnchorSplit, splitAtStart } from './anchor-split.ts';
import { CHECKS, type Check } from './checks/index.ts';
import { requiredLiterals } from './literals.ts';
import { normalParam } from './param-name.ts';
import { type RuleDef, ruleFileSchema, type Transform } from './rule-schema.ts';
import { INPUT_KINDS, type InputKind } from './types.ts';

/** Where the shipped ruleset lives: `rules/` at the package root. */
export const DEFAULT_RULES_DIR = join(PACKAGE_ROOT, 'rules');

/** Values rules look at when they name no targets: everything a client controls, file contents excepted. */
const DEFAULT_TARGETS: readonly InputKind[] = INPUT_KINDS.filter((k) => k !== 'file');

export interface CompiledRule {
  /** Position in the ruleset: the rule's keys in the literal pre-filter are `2 * index` and `2 * index + 1`. */
  readonly index: number;
  readonly id: string;
  readonly category: string;
  readonly severity: Severity;
  readonly paranoia: number;
  readonly description: string;
  readonly targets: ReadonlySet<InputKind>;
  readonly plain: boolean;
  readonly transforms: readonly Transform[];
  readonly regex: RegExp | undefined;
  /**
   * `regex` as two regexes when it mixes `^` branches with others (`anchor-split.ts`): what the fast path runs.
   * The reference path and the literal derivation keep using `regex` itself.
   */
  readonly split: AnchorSplit | undefined;
  readonly operator: 'is_sqli' | 'is_xss' | undefined;
  readonly check: Check | undefined;
  /** See `gate` in rule-schema.ts; lower-cased, as it is matched against the lower-cased value. */
  readonly gate: readonly string[] | undefined;
  /**
   * Every text the regex matches holds one of these (lower-case ASCII; `literals.ts`), or undefined when none
   * could be derived (the rule runs on every value it targets).
   */
  readonly literals: readonly string[] | undefined;
  /** See `confirm` in rule-schema.ts. */
  readonly confirm:
    | {
        readonly regex: RegExp | undefined;
        readonly otherwise: Severity;
        readonly notInMarkdownCode: boolean;
        readonly notInHtmlCode: boolean;
        readonly notInDocument: boolean;
        readonly notInSentence: boolean;
        readonly notInStackTrace: boolean;
        readonly notInParams: { readonly names: ReadonlySet<string>; readonly values: RegExp | undefined } | undefined;
      }
    | undefined;
  readonly def: RuleDef;
}

export interface Ruleset {
  readonly rules: readonly CompiledRule[];
  readonly categories: readonly string[];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Phrases become one alternation; `\b` only where the phrase starts or ends with a word character. */
export function phrasesToRegex(phrases: readonly string[]): RegExp {
  const parts = phrases.map((p) => {
    const body = escapeRegex(p).replace(/ /g, '\\s+');
    return `${/^\w/.test(p) ? '\\b' : ''}${body}${/\w$/.test(p) ? '\\b' : ''}`;
  });
  return new RegExp(`(?:${parts.join('|')})`, 'i');
}

function compile(def: RuleDef, category: string, file: string, index: number): CompiledRule {
  const fail = (what: string): never => {
    throw new PortcullisError('PC_ERR_DETECTION_RULES', `${file}: rule ${def.id}: ${what}`);
  };
  if (!def.id.startsWith(`${category}.`)) fail(`its id must start with "${category}."`);
  let regex: RegExp | undefined;
  if (def.regex !== undefined) {
    try {
      regex = new RegExp(def.regex, def.caseSensitive ? '' : 'i');
    } catch (e) {
      fail(`invalid regex: ${(e as Error).message}`);
    }
  } else if (def.phrases !== undefined) regex = phrasesToRegex(def.phrases);
  let check: Check | undefined;
  if (def.check !== undefined) {
    check = CHECKS[def.check];
    if (check === undefined) fail(`unknown check "${def.check}"; known: ${Object.keys(CHECKS).join(', ')}`);
  }
  let confirm: CompiledRule['confirm'];
  if (def.confirm !== undefined) {
    try {
      confirm = {
        regex: def.confirm.regex === undefined ? undefined : new RegExp(def.confirm.regex, 'i'),
        otherwise: def.confirm.otherwise,
        notInMarkdownCode: def.confirm.notInMarkdownCode,
        notInHtmlCode: def.confirm.notInHtmlCode,
        notInDocument: def.confirm.notInDocument,
        notInSentence: def.confirm.notInSentence,
        notInStackTrace: def.confirm.notInStackTrace,
        notInParams:
          def.confirm.notInParams === undefined
            ? undefined
            : {
                names: new Set(def.confirm.notInParams.names.map(normalParam)),
                values:
                  def.confirm.notInParams.values === undefined ? undefined : new RegExp(def.confirm.notInParams.values, 'i'),
              },
      };
    } catch (e) {
      fail(`invalid confirm regex: ${(e as Error).message}`);
    }
  }
  let literals: string[] | undefined;
  if (regex !== undefined) {
    try {
      literals = requiredLiterals(regex.source, regex.flags);
    } catch {
      // Syntax the literal parser does not know: the rule simply runs without a pre-filter (a unit test keeps the
      // shipped rules all parsed).
      literals = undefined;
    }
  }
  const split = regex === undefined ? undefined : splitAtStart(regex);
  const rule: CompiledRule = {
    index,
    id: def.id,
    category,
    severity: def.severity,
    paranoia: def.paranoia,
    description: def.description,
    targets: new Set(def.targets ?? DEFAULT_TARGETS),
    plain: def.plain,
    transforms: def.transforms,
    // Every field present, in one order, on every rule: the rule loop reads these for ~130 rules per value, and
    // objects of one hidden class keep those reads monomorphic (optional fields gave each combination its own).
    regex,
    split,
    operator: def.operator,
    check,
    gate: def.gate?.map((g) => g.toLowerCase()),
    literals,
    confirm,
    def,
  };
  return rule;
}

/** Reads and validates every `*.yaml` in the directory. Throws PC_ERR_DETECTION_RULES naming file and rule. */
export function loadRuleset(dir: string = DEFAULT_RULES_DIR): Ruleset {
  const rules: CompiledRule[] = [];
  const categories: string[] = [];
  const seen = new Set<string>();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  for (const name of files) {
    const path = join(dir, name);
    let raw: unknown;
    try {
      raw = parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new PortcullisError('PC_ERR_DETECTION_RULES', `${path}: not valid YAML: ${(e as Error).message}`);
    }
    const parsed = ruleFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new PortcullisError('PC_ERR_DETECTION_RULES', `${path}: ${issues}`);
    }
    const file = parsed.data;
    if (!categories.includes(file.category)) categories.push(file.category);
    for (const def of file.rules) {
      if (seen.has(def.id)) throw new PortcullisError('PC_ERR_DETECTION_RULES', `${path}: duplicate rule id ${def.id}`);
      seen.add(def.id);
      rules.push(compile(def, file.category, path, rules.length));
    }
  }
  return { rules, categories };
}
