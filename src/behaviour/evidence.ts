import { type Finding, severityRank } from '../core/finding.ts';
import type { BehaviourConfig } from './config.ts';

type RiskConfig = BehaviourConfig['risk'];

/** The risk weight one finding carries under `risk` (a rule's own override first, then its severity's). */
export function findingWeight(f: Finding, risk: Pick<RiskConfig, 'weights' | 'ruleWeights'>): number {
  return risk.ruleWeights[f.ruleId] ?? risk.weights[f.severity];
}

/**
 * The findings of one request that count as separate evidence: of several findings of one category on one input
 * (`cmdi` on `body.description`), only the heaviest.
 *
 * Why: the rules of one attack class overlap by design — `curl -H` after a line break is matched by a separator
 * rule, a builtin rule and a command-word rule — so summing them counts one fragment three times. Before this, a
 * support ticket whose Markdown code block held `curl -H "Accept: …" https://…` added 45 + 45 + 4 risk on its
 * first request and was blocked for 10 minutes (the block threshold is 80), though no rule judged it critical.
 * Different categories on one input (SQLi beside XSS), and one category on different inputs, stay separate
 * evidence and add up. Findings without a location (behaviour windows, identity) are never merged; monitor-only
 * findings are kept as they are (they add no risk anyway).
 *
 * The whole body (`body`) and its fields (`body.text`) are one text read twice where the inspector reads both (an
 * untyped form body, XML): a category found in the whole and in a field counts once, the heavier of the whole and
 * the field's heaviest. Before this, a Wikipedia paragraph about SQL injection posted without a Content-Type was
 * counted as two high findings and blocked on its own (CRS 942522:8). The query string read whole (`query`, when a
 * name is odd) and its fields (`query.q`) likewise: `q=x' or 'a'='a&a%20b=1` counted the tautology twice; and so
 * do the path and its segments (`path[2]`), and a GraphQL document and its string arguments (`body.query.argument`):
 * prose about `<iframe>` in an upload's description was two high findings and blocked.
 *
 * Order is kept; a request where no two findings share a category and input is returned as is (a request has a
 * handful of findings at most, so the pairwise check is cheaper than the map it saves).
 */
export function separateEvidence(
  findings: readonly Finding[],
  weightOf: (f: Finding) => number,
): readonly Finding[] {
  if (findings.length < 2 || !sharesInput(findings)) return findings;
  const best = new Map<string, Finding>();
  for (const f of findings) {
    if (f.location === undefined || f.monitorOnly === true) continue;
    const key = `${f.category}\0${f.location}`;
    const held = best.get(key);
    if (held === undefined || weightOf(f) > weightOf(held)) best.set(key, f);
  }
  for (const [key, whole] of best) {
    const at = whole.location;
    if (at === undefined) continue;
    let field: [string, Finding] | undefined;
    for (const [k, f] of best) {
      if (f.category !== whole.category || !isPartOf(at, f.location)) continue;
      if (field === undefined || weightOf(f) > weightOf(field[1])) field = [k, f];
    }
    if (field !== undefined) best.delete(weightOf(whole) > weightOf(field[1]) ? field[0] : key);
  }
  return findings.filter(
    (f) => f.location === undefined || f.monitorOnly === true || best.get(`${f.category}\0${f.location}`) === f,
  );
}

/** Inputs read whole and in parts: the body, the query string and the path (its segments). */
const WHOLES = new Set(['body', 'query', 'path']);
/** Where a GraphQL document's string arguments are read apart (`….argument`, extract.ts); `body` is a whole anyway. */
const GRAPHQL_WHOLES = new Set(['query.query', 'body.query', 'body.operations']);

/** Whether `location` is read as a part of `whole` too: see separateEvidence. */
const isPartOf = (whole: string, location: string | undefined): boolean =>
  WHOLES.has(whole) ? isFieldOf(whole, location) : GRAPHQL_WHOLES.has(whole) && location === `${whole}.argument`;

/** Whether `location` is a part of `whole`: a field (`body.text`, `query.q`) or a path segment (`path[2]`). */
const isFieldOf = (whole: string, location: string | undefined): boolean =>
  location !== undefined &&
  location.length > whole.length &&
  location.startsWith(whole) &&
  (location[whole.length] === '.' || location[whole.length] === '[');

/** Whether two findings may be about the same input: one location, or one below the other (a field, a segment). */
function sameInput(a: string, b: string): boolean {
  return a === b || isFieldOf(a, b) || isFieldOf(b, a);
}

function sharesInput(findings: readonly Finding[]): boolean {
  for (let i = 0; i < findings.length; i++) {
    const a = findings[i]!;
    if (a.location === undefined || a.monitorOnly === true) continue;
    for (let j = i + 1; j < findings.length; j++) {
      const b = findings[j]!;
      if (b.location === undefined || b.category !== a.category || b.monitorOnly === true) continue;
      if (sameInput(a.location, b.location)) return true;
    }
  }
  return false;
}

const MEDIUM = severityRank('medium');

/**
 * Weak evidence (risk.ts): a content finding (`Finding.content`: what a client wrote in a value) of medium
 * severity or lower whose weight is no more than a medium's. An operator who weighs a rule above that makes it
 * strong; one who weighs it lower keeps it weak, so lowering a weight never raises risk.
 */
export function isWeak(f: Finding, risk: Pick<RiskConfig, 'weights' | 'ruleWeights'>): boolean {
  return f.content === true && severityRank(f.severity) <= MEDIUM && findingWeight(f, risk) <= risk.weights.medium;
}

/**
 * The risk one request's findings add to its actor on their own (no history, no decay): what the policy would
 * act on if this request were the client's first, weak evidence capped as the risk book caps it. The corpus
 * evaluation uses it to count benign requests the gateway would challenge or block through risk, not only
 * through a critical finding.
 */
export function requestRisk(
  findings: readonly Finding[],
  risk: Pick<RiskConfig, 'weights' | 'ruleWeights'>,
  weakCap: number,
): number {
  const weightOf = (f: Finding): number => findingWeight(f, risk);
  let strong = 0;
  let weak = 0;
  for (const f of separateEvidence(findings, weightOf)) {
    if (f.monitorOnly === true) continue;
    if (isWeak(f, risk)) weak += weightOf(f);
    else strong += weightOf(f);
  }
  return strong + Math.min(weak, weakCap);
}
