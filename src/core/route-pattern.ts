/**
 * Route patterns compiled once at config load (style rule 6): `:name` matches one segment and captures it,
 * `*` matches one segment, and a trailing `*` one or more. Methods compare case-insensitively; `*` is any method.
 * One syntax for every area that names routes (behaviour's login, enumeration and object routes; identity reads
 * the login routes to name the targeted account).
 */
export interface RoutePattern {
  /** `*` for any method. */
  readonly method: string;
  /** Path with `:name` segments and a trailing `*` wildcard, e.g. `/api/orders/:id`. */
  readonly path: string;
}

/** Where logins usually are: the default of `behaviour.routes.login`, the one list of login routes. */
export const DEFAULT_LOGIN_ROUTES: readonly RoutePattern[] = [
  { method: 'POST', path: '/login' },
  { method: 'POST', path: '/api/login' },
  { method: 'POST', path: '/api/*/login' },
  { method: 'POST', path: '/auth/*' },
  { method: 'POST', path: '/api/auth/*' },
];

export interface RouteMatch {
  readonly params: Readonly<Record<string, string>>;
}

export type RouteMatcher = (method: string, path: string) => RouteMatch | undefined;

export function compileRoutes(patterns: readonly RoutePattern[]): RouteMatcher {
  const compiled = patterns.map(({ method, path }) => ({
    method: method.toUpperCase(),
    segments: path.split('/').filter((s) => s.length > 0),
  }));
  if (compiled.length === 0) return () => undefined;
  return (method, path) => {
    const upper = method.toUpperCase();
    const parts = path.split('/').filter((s) => s.length > 0);
    for (const pattern of compiled) {
      if (pattern.method !== '*' && pattern.method !== upper) continue;
      const params = matchSegments(pattern.segments, parts);
      if (params) return { params };
    }
    return undefined;
  };
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i]!;
    if (seg === '*' && i === pattern.length - 1) return parts.length > i ? params : undefined;
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.startsWith(':')) params[seg.slice(1)] = part;
    else if (seg !== '*' && seg.toLowerCase() !== part.toLowerCase()) return undefined;
  }
  return parts.length === pattern.length ? params : undefined;
}
