import { type Finding, truncateFragment } from '../core/finding.ts';
import { type CompiledState, KIND_BIT } from './compiled.ts';
import { urlDecode } from './decode.ts';
import { credentialSeverity, REDACTED } from './credential-fields.ts';
import { isDocument } from './document.ts';
import { extractInputs } from './extract.ts';
import { maskHtmlCode } from './html-code.ts';
import { isInert } from './inert.ts';
import { libinjectionTexts } from './libinjection-text.ts';
import { maskMarkdownCode } from './markdown-code.ts';
import { maskStackTrace } from './stack-trace.ts';
import type { CompiledRule } from './ruleset.ts';
import { normalParam, paramOf } from './param-name.ts';
import { isMention } from './sentence.ts';
import type { InputKind, InspectionInput, LimitHit } from './types.ts';
import { secretKey } from './value-hash.ts';
import { applyTransform, isPlain, variantsOf } from './variants.ts';
import { byItsEnds, InspectionClock } from './time-budget.ts';
import { hasLibinjectionSyntax, needsLibinjection } from './waf-gate.ts';

/**
 * Values already found clean under this state (same kind and text) skip the rules: API traffic repeats header
 * values, enum-like parameters, field names, client addresses and tokens constantly. Bounded (`clean-cache.ts`:
 * two generations of 32,768 keys of at most CACHE_VALUE_MAX characters, ≤ 32 MiB of strings, a few MiB in
 * practice). Secrets (cookies, Authorization) are kept as a seeded 53-bit hash (`value-hash.ts`), never as text.
 * A flood of unique values only costs the cache its hit rate.
 */
const CACHE_VALUE_MAX = 256;
/** libddwaf truncates strings past 4096 bytes and containers past 256 entries; we chunk to stay inside both. */
const WAF_STRING = 4000;
const WAF_KEYS = 200;
/**
 * Where a rule's match is what a client wrote (`Finding.content`): query, form and JSON values and names, cookies,
 * uploads. Not the path (a probe for a file is what a scanner does, request after request), not header values
 * (the same on every request of a client, like what it is), not request-level checks.
 */
const CONTENT_LOCATION = /^(?:query|body|cookie)(?:[.#]|$)/;
/** Headers whose values are secrets: never cached, and their fragments stay short. */
const SECRET_HEADERS = new Set(['header.authorization', 'header.proxy-authorization']);

function passesGate(gate: readonly string[], text: string): boolean {
  for (const g of gate) if (text.includes(g)) return true;
  return false;
}

/** Per variant: transform chain (`cmdline>path`) → transformed text, and → its pre-filter bits when it differs. */
interface VariantCache {
  readonly text: Map<string, string>;
  readonly bits: Map<string, Uint32Array>;
}

function variantCache(cache: VariantCache[], i: number): VariantCache {
  return cache[i] ?? (cache[i] = { text: new Map(), bits: new Map() });
}

/** A rule's match: the matched fragment and the text its regex ran on. */
interface Hit {
  readonly fragment: string;
  readonly text: string;
}

/**
 * A rule runs on a variant only when the pre-filter found its gate in the variant and its required literals in
 * the text the regex runs on (`compiled.ts`). Transformed texts are cached per variant by their chain, since rules
 * share chains, and scanned again only when the transform changed something (rarely, for benign values).
 */
function matchRule(
  state: CompiledState,
  rule: CompiledRule,
  variants: readonly string[],
  bits: readonly Uint32Array[],
  cache: VariantCache[],
): Hit | undefined {
  const word = rule.index >>> 4;
  const gate = state.needGate[rule.index]!;
  const lit = state.needLit[rule.index]!;
  for (let i = 0; i < variants.length; i++) {
    let b = bits[i]!;
    if ((b[word]! & gate) !== gate) continue;
    const variant = variants[i]!;
    let text = variant;
    if (rule.transforms.length > 0 && TRANSFORMABLE[i] === 1) {
      const c = variantCache(cache, i);
      let chain = '';
      for (const t of rule.transforms) {
        chain = chain === '' ? t : `${chain}>${t}`;
        let v = c.text.get(chain);
        if (v === undefined) c.text.set(chain, (v = applyTransform(text, t)));
        text = v;
      }
      if (text !== variant) {
        let tb = c.bits.get(chain);
        if (tb === undefined) {
          c.bits.set(chain, (tb = new Uint32Array(state.scan.words)));
          state.scan.scan(text, tb);
        }
        b = tb;
      }
    }
    if ((b[word]! & lit) !== lit) continue;
    // A gate entry the scan cannot hold (slowGate, compiled.ts): tested last, after the cheap bit tests.
    if (state.slowGate.has(rule) && !passesGate(rule.gate!, variant.toLowerCase())) continue;
    const m = execRule(rule, text);
    if (m) return { fragment: m[0], text };
  }
  return undefined;
}

/**
 * The reference path (`InspectorOptions.prefilters: false`): every rule on every variant, its hand-written gate
 * tested with `includes`, every transform of its chain applied. It shares none of the fast path's shortcuts (the
 * scan's bits, required literals, transform triggers), so prefilter-soundness.test.ts compares the fast path
 * against code that could not carry the same mistake. Which rules run on a plain value is the rules' own `plain`
 * flag, not a shortcut, and the same on both paths.
 */
function matchRuleReference(
  rule: CompiledRule,
  variants: readonly string[],
): Hit | undefined {
  for (const variant of variants) {
    if (rule.gate !== undefined && !passesGate(rule.gate, variant.toLowerCase())) continue;
    let text = variant;
    for (const t of rule.transforms) text = applyTransform(text, t);
    const m = rule.regex!.exec(text);
    if (m) return { fragment: m[0], text };
  }
  return undefined;
}

/**
 * Bit sets of the pre-filter scan, one per variant, and whether a transform could change that variant (1) or
 * not (0: transformed rules match the variant itself). Reused across values: inspection is synchronous.
 */
const BITS: Uint32Array[] = [];
/** The literal (even) bit of each rule's pair of keys in a scan word. */
const EVEN_BITS = 0x55555555;
const TRANSFORMABLE: number[] = [];

function scanBits(state: CompiledState, variants: readonly string[]): Uint32Array[] {
  const words = state.scan.words;
  const trigger = state.transformTrigger;
  for (let i = 0; i < variants.length; i++) {
    let b = BITS[i];
    if (b === undefined || b.length !== words) b = BITS[i] = new Uint32Array(words);
    else b.fill(0);
    state.scan.scan(variants[i]!, b);
    TRANSFORMABLE[i] = trigger !== undefined && trigger.test(variants[i]!) ? 1 : 0;
  }
  return BITS;
}

/** A text for libddwaf in pieces of WAF_STRING characters, overlapping by 200 so no payload falls between two. */
function pushPieces(list: string[], texts: readonly string[]): void {
  for (const v of texts) {
    for (let o = 0; o < v.length; o += WAF_STRING - 200) {
      list.push(v.slice(o, o + WAF_STRING));
      if (o + WAF_STRING >= v.length) break;
    }
  }
}

function confirmed(
  rule: CompiledRule,
  c: NonNullable<CompiledRule['confirm']>,
  hit: Hit,
  variants: readonly string[],
  location: string,
): boolean {
  const text = hit.text;
  return (
    (c.regex === undefined || c.regex.test(text)) &&
    !(
      c.notInParams !== undefined &&
      c.notInParams.names.has(normalParam(paramOf(location))) &&
      (c.notInParams.values === undefined || c.notInParams.values.test(text))
    ) &&
    !(c.notInMarkdownCode && onlyInMasked(rule, variants, maskMarkdownCode)) &&
    !(c.notInHtmlCode && onlyInMasked(rule, variants, maskHtmlCode)) &&
    !(c.notInStackTrace && onlyInMasked(rule, variants, maskStackTrace)) &&
    !(c.notInDocument && isDocument(text)) &&
    !(c.notInSentence && isMention(hit.fragment, variants))
  );
}

/**
 * The rule matched, but no variant of the value matches once its quoted regions are blanked out by `mask` (Markdown
 * code, markdown-code.ts; HTML code, html-code.ts; stack frames, stack-trace.ts): a decoy region must not lower a
 * payload that a decoded variant carries outside it. The mask is taken before the rule's transforms, which fold line
 * breaks away and with them the fences. Rules that opt in have a regex (rule-schema.ts).
 */
function onlyInMasked(
  rule: CompiledRule,
  variants: readonly string[],
  mask: (text: string) => string | undefined,
): boolean {
  let maskedAny = false;
  for (const variant of variants) {
    let text = mask(variant);
    if (text === undefined) text = variant;
    else maskedAny = true;
    for (const t of rule.transforms) text = applyTransform(text, t);
    if (execRule(rule, text) !== null) return false;
  }
  return maskedAny;
}

/** The fast path's match of a rule's regex: its anchored and unanchored halves when it is split (anchor-split.ts). */
function execRule(rule: CompiledRule, text: string): RegExpExecArray | null {
  const split = rule.split;
  return split === undefined ? rule.regex!.exec(text) : (split.atStart.exec(text) ?? split.elsewhere.exec(text));
}

export function runInspection(state: CompiledState, req: InspectionInput): Finding[] {
  const cfg = state.config;
  const clock = new InspectionClock(cfg.limits.timeBudgetMicros, req.body?.length ?? 0);
  const ex = extractInputs(req, cfg.limits, state.isCredential);
  clock.values(ex.inputs.length);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const decodedPath = state.hasExclusions ? urlDecode(req.path) : req.path;
  // Locations where any regex or libinjection rule matched, excluded or not: such values must never enter the
  // clean-value cache, or an exclusion on one route would silence the rule for the same value on every route.
  // Request-level checks run on every request whatever the cache holds, so their hits do not count here (an
  // IP-literal Host, an `info` check hit, would otherwise keep that value out of the cache on every request).
  const matched = new Set<string>();
  let checking = true;
  const add = (
    rule: CompiledRule,
    location: string,
    fragment: string,
    text = fragment,
    variants?: readonly string[],
    kind?: InputKind,
  ): void => {
    const key = `${rule.id}\0${location}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (!checking) matched.add(location);
    if (state.hasExclusions && state.excluded(req.method, decodedPath, rule.id, rule.category, location)) return;
    // A password field's value, never its name (credential-fields.ts); libddwaf's matches name no kind, and a
    // field name holding a quote and a comment keeps its SQL severity there anyway.
    // (XML passwords are not lowered, only redacted: `ex.redacted`, body.ts.)
    const credential =
      !checking && (kind === undefined || kind === 'body' || kind === 'query') && ex.credentials?.has(location) === true;
    const hidden = credential || ex.redacted?.has(location) === true;
    const frag = hidden ? REDACTED : truncateFragment(fragment.trim(), SECRET_HEADERS.has(location) ? 40 : 120);
    const severity =
      rule.confirm !== undefined && !confirmed(rule, rule.confirm, { fragment, text }, variants ?? [text], location)
        ? rule.confirm.otherwise
        : rule.severity;
    const f: Finding = {
      ruleId: rule.id,
      category: rule.category,
      severity: credential ? credentialSeverity(rule, severity, variants ?? [text]) : severity,
      location,
      fragment: frag,
      explanation: `${rule.description} (in ${location}: ${JSON.stringify(frag)})`,
      ...(state.monitorOnly.has(rule.id) ? { monitorOnly: true } : {}),
      ...(!checking && CONTENT_LOCATION.test(location) ? { content: true as const } : {}),
    };
    findings.push(f);
  };

  for (const rule of state.checks) for (const hit of rule.check!(req, ex)) add(rule, hit.location, hit.fragment);
  checking = false;

  const wafValues: Record<string, string[]> = {};
  let wafSqliOnly: Record<string, string[]> | undefined;
  let wafCount = 0;
  const cacheable: [key: string | number, bits: number, location: string][] = [];
  const limits: LimitHit[] = [...ex.limits];
  // Reading order and measure against the time budget: time-budget.ts.
  const order = clock.order(ex.inputs);
  for (let i = 0; i < ex.inputs.length; i++) {
    const reading = clock.reading(i);
    if (reading === 'stop') break;
    if (reading === 'budget-spent')
      limits.push({ limit: 'timeBudget', detail: clock.spentDetail(i, ex.inputs.length) });
    const whole = reading === 'whole';
    const next = ex.inputs[order === undefined ? i : order[i]!]!;
    const inp = whole ? next : byItsEnds(next);
    // UUIDs and short numbers: no rule can match them (inert.ts), and caching them only evicted recurring values.
    if (state.prefilters && isInert(inp.value)) continue;
    // A value read in part is never remembered as clean.
    const cacheBit = whole && inp.value.length <= CACHE_VALUE_MAX ? KIND_BIT.get(inp.kind)! : 0;
    // Passwords arrive as form, JSON or query values; a field name (`key`) is no secret.
    const secret =
      inp.kind === 'cookie' ||
      SECRET_HEADERS.has(inp.location) ||
      (ex.credentials !== undefined && ex.credentials.has(inp.location));
    const key = cacheBit === 0 || !secret ? inp.value : secretKey(inp.value);
    const known = cacheBit === 0 ? 0 : state.clean.get(key);
    if ((known & cacheBit) !== 0) continue;
    const variants = variantsOf(inp.value, inp.kind);
    const plain = variants.length === 1 && isPlain(variants[0]!);
    const rules = (plain ? state.plainByKind : state.byKind).get(inp.kind)!;
    const before = matched.size;
    if (!state.prefilters) {
      for (const rule of rules) {
        const hit = matchRuleReference(rule, variants);
        if (hit !== undefined) add(rule, inp.location, hit.fragment, hit.text, variants, inp.kind);
      }
    } else if (rules.length > 0) {
      const bits = scanBits(state, variants);
      const kindMask = (plain ? state.plainKindMask : state.kindMask).get(inp.kind)!;
      let tcache: VariantCache[] | undefined;
      // The test matchRule makes per variant, for 16 rules at a time: a rule may match when some variant holds its
      // gate (or it has none) and its literals (or it has none, or it transforms a variant a transform changes).
      // Bits go by rule index, the order of `rules`, so findings come out in the same order.
      for (let w = 0; w < kindMask.length; w++) {
        const inKind = kindMask[w]!;
        if (inKind === 0) continue;
        let may = 0;
        for (let i = 0; i < variants.length; i++) {
          const x = bits[i]![w]!;
          const gateOk = ((x | ~state.gateReq[w]!) >>> 1) & EVEN_BITS;
          const litOk = (x | ~state.litReq[w]!) | (TRANSFORMABLE[i] === 1 ? state.transformed[w]! : 0);
          may |= gateOk & litOk;
        }
        let cand = may & inKind;
        while (cand !== 0) {
          const bit = 31 - Math.clz32(cand & -cand);
          cand &= cand - 1;
          const rule = state.byIndex[(w << 4) | (bit >>> 1)]!;
          const hit = matchRule(state, rule, variants, bits, (tcache ??= []));
          if (hit !== undefined) add(rule, inp.location, hit.fragment, hit.text, variants, inp.kind);
        }
      }
    }
    // Plain values (letters, digits, `_.@:+-`) never reach libinjection: without a quote, parenthesis, operator or
    // comment a value cannot change a query's structure, and libinjection's fingerprints misfire on such prose
    // (`john or@var.es`). Plain `UNION SELECT` forms are caught by the `plain` regex rules instead.
    const wafGate = state.prefilters ? needsLibinjection : hasLibinjectionSyntax;
    if (state.wafKinds.has(inp.kind) && !plain && variants.some(wafGate)) {
      const texts = libinjectionTexts(variants);
      pushPieces((wafValues[inp.location] ??= []), texts.both);
      if (texts.sqliOnly.length > 0) pushPieces(((wafSqliOnly ??= {})[inp.location] ??= []), texts.sqliOnly);
      wafCount++;
    }
    if (cacheBit !== 0 && matched.size === before && !matched.has(inp.location))
      cacheable.push([key, known | cacheBit, inp.location]);
  }

  if (wafCount > 0) {
    const keys = Object.keys(wafValues);
    for (let k = 0; k < keys.length; k += WAF_KEYS) {
      const left = clock.left();
      if (left <= 0) {
        // Not judged by libinjection: not clean either.
        for (const key of keys.slice(k)) matched.add(key);
        limits.push({
          limit: 'timeBudget',
          detail: `no time left for libinjection after ${cfg.limits.timeBudgetMicros} µs`,
        });
        break;
      }
      const chunk: Record<string, string[]> = {};
      let sqliChunk: Record<string, string[]> | undefined;
      const part = keys.slice(k, k + WAF_KEYS);
      for (const key of part) {
        const list = wafValues[key]!;
        chunk[key] = list.length > 200 ? list.slice(0, 200) : list;
        // The entries past 200 are not judged by libinjection: the location's values are not clean.
        if (list.length > 200) matched.add(key);
        const sqli = wafSqliOnly?.[key];
        if (sqli !== undefined) (sqliChunk ??= {})[key] = sqli.slice(0, 200);
      }
      const { matches, timedOut } = state.waf.run(chunk, left, sqliChunk);
      for (const m of matches) add(state.rulesById.get(m.ruleId)!, m.location, m.value);
      // libddwaf reports a rule once per call, at the first location it matched: the same SQLi in a second
      // location goes unreported, and must not be cached as clean there (the next request carrying it alone
      // would skip libinjection). After a match or a time-out, no value of the call is cached.
      if (matches.length > 0 || timedOut) for (const key of part) matched.add(key);
      if (timedOut)
        limits.push({
          limit: 'timeBudget',
          detail: `libddwaf stopped at the ${cfg.limits.timeBudgetMicros} µs budget`,
        });
    }
  }

  // The bits known when the value was looked up, plus this kind: no second lookup of each new value (a value
  // met twice in one request may lose the other kind's bit, which only costs it one more inspection later).
  for (const [key, bits, location] of cacheable) if (!matched.has(location)) state.clean.put(key, bits);

  for (const hit of limits) {
    if (findings.some((f) => f.ruleId === 'inspection.limit' && f.location === hit.limit)) continue;
    findings.push({
      ruleId: 'inspection.limit',
      category: 'inspection',
      severity: cfg.limitOutcome === 'block' ? 'critical' : 'medium',
      location: hit.limit,
      fragment: truncateFragment(hit.detail),
      explanation: `Inspection limit ${hit.limit} reached: ${hit.detail}.`,
    });
  }
  return findings;
}
