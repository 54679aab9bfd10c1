import type { Exclusion } from './config.ts';

/** A compiled exclusion: does it cover this finding on this request? */
export type ExclusionMatcher = (
  method: string,
  path: string,
  ruleId: string,
  category: string,
  location: string,
) => boolean;

/** `/api/*\/comments` → one segment per `*`, any rest for `**`; matched against the once-decoded path. */
export function globToRegex(pattern: string): RegExp {
  const body = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

function locationMatcher(patterns: readonly string[]): (location: string) => boolean {
  if (patterns.length === 0) return () => true;
  const exact = new Set(patterns.filter((p) => !p.endsWith('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  return (loc) => exact.has(loc) || prefixes.some((p) => loc.startsWith(p));
}

/**
 * Exclusions are the false-positive escape hatch operators reach for first (ModSecurity's ctl:ruleRemoveTargetById
 * is the model): scoped by route, input location, rule id and category, so one noisy field does not cost a whole rule.
 */
export function compileExclusions(list: readonly Exclusion[]): ExclusionMatcher {
  if (list.length === 0) return () => false;
  const compiled = list.map((e) => {
    const method = e.method.toUpperCase();
    const path = globToRegex(e.path);
    const loc = locationMatcher(e.locations);
    const rules = new Set(e.rules);
    const categories = new Set(e.categories);
    const anyRule = rules.size === 0 && categories.size === 0;
    return (m: string, p: string, ruleId: string, category: string, location: string) =>
      (method === '*' || method === m) &&
      path.test(p) &&
      loc(location) &&
      (anyRule || rules.has(ruleId) || categories.has(category));
  });
  return (m, p, r, c, l) => compiled.some((f) => f(m, p, r, c, l));
}
