/**
 * Route patterns compiled once at config load (style rule 6): `:name` matches one segment and captures it,
 * `*` matches one segment, a trailing `*` one or more, and a leading `**` any number of leading segments (none
 * included): the segments `**`, `login` match every path ending in `/login`. Methods compare case-insensitively; `*` is any method.
 * One syntax for every area that names routes (behaviour's login, enumeration and object routes; identity reads
 * the login routes to name the targeted account).
 */
export interface RoutePattern {
  /** `*` for any method. */
  readonly method: string;
  /** Path with `:name` segments, a trailing `*` and a leading `**`, e.g. `/api/orders/:id` (see above). */
  readonly path: string;
}

/** Why a route pattern cannot be used, or undefined when it can (for config validation). */
export function routePatternProblem(path: string): string | undefined {
  const segments = path.split('/').filter((s) => s.length > 0);
  if (segments.slice(1).includes('**')) return '`**` may only be the first segment, as in "/**/login"';
  return undefined;
}

/** Where logins usually are: the default of `behaviour.routes.login`, the one list of login routes. */
/**
 * Where logins usually are: the default of `behaviour.routes.login`, the one list of login routes. The last
 * segment names the action on most APIs whatever their prefix (`/api/v2/auth/login`, `/users/sign_in`,
 * `/oauth/token`), so those match at any depth; `/auth/*` covers auth services that name the method instead
 * (`/auth/password`). Not `sessions`: many APIs create sessions of other kinds (chat, checkout) with POST.
 */
export const DEFAULT_LOGIN_ROUTES: readonly RoutePattern[] = [
  ...['login', 'log-in', 'log_in', 'signin', 'sign-in', 'sign_in', 'logon', 'authenticate'].map((action) => ({
    method: 'POST',
    path: `/**/${action}`,
  })),
  { method: 'POST', path: '/**/oauth/token' },
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
  if (pattern[0] === '**') {
    // Any leading segments: the rest of the pattern must match the path's last segments.
    const rest = pattern.slice(1);
    const from = parts.length - rest.length;
    return from < 0 || rest.at(-1) === '*' ? matchAnywhere(rest, parts) : matchSegments(rest, parts.slice(from));
  }
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

/** `**` followed by a pattern that itself ends in a wildcard: try each start (rare; patterns are short). */
function matchAnywhere(rest: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  for (let from = 0; from <= parts.length; from++) {
    const params = matchSegments(rest, parts.slice(from));
    if (params) return params;
  }
  return undefined;
}
