import type { AdminRoute, HttpMethod } from './route.ts';

/**
 * Matches method + path against the registered admin routes. Patterns are split once at start;
 * `:name` segments capture (URL-decoded). Admin traffic is light, so a linear scan is the right structure.
 */
interface Compiled {
  readonly route: AdminRoute;
  readonly segments: readonly string[];
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: AdminRoute; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

export class AdminRouter {
  readonly #routes: Compiled[] = [];

  add(routes: readonly AdminRoute[]): void {
    for (const route of routes) {
      const duplicate = this.#routes.find((c) => c.route.method === route.method && c.route.path === route.path);
      if (duplicate) throw new Error(`admin route registered twice: ${route.method} ${route.path}`);
      this.#routes.push({ route, segments: route.path.split('/').filter(Boolean) });
    }
  }

  get routes(): readonly AdminRoute[] {
    return this.#routes.map((c) => c.route);
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').filter(Boolean);
    const allowed: HttpMethod[] = [];
    for (const { route, segments } of this.#routes) {
      if (segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const seg = segments[i]!;
        const part = parts[i]!;
        if (seg.startsWith(':')) {
          try {
            params[seg.slice(1)] = decodeURIComponent(part);
          } catch {
            ok = false;
          }
        } else ok = seg === part;
      }
      if (!ok) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}
