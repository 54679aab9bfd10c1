import type { IdentityConfig } from './config.ts';

/**
 * The account a login request targets, read from its body. Routes are compiled once (style rule 6): `*` matches
 * one path segment, a trailing `/**` matches any rest. The username is trimmed and lower-cased before hashing,
 * because `Alice@Example.com` and `alice@example.com ` are one account to a credential stuffer.
 */
export interface LoginRoute {
  readonly method: string;
  readonly test: (path: string) => boolean;
  readonly field: readonly string[];
  readonly format: 'auto' | 'json' | 'form';
}

function compilePath(pattern: string): (path: string) => boolean {
  if (!pattern.includes('*')) return (p) => p === pattern;
  const escaped = pattern
    .split('/')
    .map((seg, i, all) => {
      if (seg === '**' && i === all.length - 1) return '.*';
      return seg === '*' ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const re = new RegExp(`^${escaped}$`);
  return (p) => re.test(p);
}

export function compileLoginRoutes(config: IdentityConfig): LoginRoute[] {
  return config.loginRoutes.map((r) => ({
    method: r.method,
    test: compilePath(r.path),
    field: r.field.split('.'),
    format: r.format,
  }));
}

export function matchLoginRoute(routes: readonly LoginRoute[], method: string, path: string): LoginRoute | undefined {
  for (const r of routes) if (r.method === method && r.test(path)) return r;
  return undefined;
}

function fromJson(body: Buffer, field: readonly string[]): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  for (const key of field) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function fromForm(body: Buffer, field: readonly string[]): string | undefined {
  return new URLSearchParams(body.toString('utf8')).get(field.join('.')) ?? undefined;
}

/** The normalised username, or undefined when the body does not name one. */
export function accountFromBody(route: LoginRoute, contentType: string | undefined, body: Buffer): string | undefined {
  const format =
    route.format !== 'auto'
      ? route.format
      : /application\/x-www-form-urlencoded/i.test(contentType ?? '')
        ? 'form'
        : 'json';
  const raw = format === 'form' ? fromForm(body, route.field) : fromJson(body, route.field);
  const name = raw?.trim().toLowerCase();
  return name === undefined || name === '' ? undefined : name;
}
