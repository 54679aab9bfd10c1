import type { Facet } from '../core/facet.ts';
import type { BehaviourConfig } from './config.ts';
import { CappedLru } from './lru.ts';
import { compileRoutes, type RouteMatcher } from '../core/route-pattern.ts';

/**
 * What the detectors see of a request: built once per request from the pipeline context (or, offline, from an
 * access-log line by `portcullis replay`), so no detector re-parses paths, cookies or facets.
 */
export interface RequestView {
  readonly now: number;
  readonly method: string;
  /** Lower-cased raw path, no query. */
  readonly path: string;
  /** `METHOD /template` with object ids replaced by `:id`: the key for per-route counters. */
  readonly route: string;
  readonly objectId?: string | undefined;
  /** The object id as a number when it is one, for sequential-walk detection. */
  readonly numericId?: number | undefined;
  /** `page`, `p` or `offset/limit` from the query; 0 when absent. */
  readonly pageDepth: number;
  readonly ip: Facet;
  readonly subnet?: Facet | undefined;
  readonly tls?: Facet | undefined;
  readonly http?: Facet | undefined;
  readonly principal?: Facet | undefined;
  readonly account?: Facet | undefined;
  /** The client-stack facet: `tls:` when present, else `http:` (timing, enumeration, challenge statistics). */
  readonly stack?: Facet | undefined;
  /**
   * What challenge tokens are bound to besides the IP: the TLS fingerprint, else the User-Agent. Not the HTTP
   * fingerprint, which (by design, docs/fingerprints.md) changes when a Cookie header appears, i.e. exactly when
   * a client answers the cookie challenge.
   */
  readonly binding: string;
  readonly isLogin: boolean;
  readonly isEnumeration: boolean;
  /** On an enumeration route with a path parameter (`/api/users/:id/exists`): the account asked about. */
  readonly probedAccount?: string | undefined;
  readonly acceptsHtml: boolean;
}

export interface ViewInput {
  readonly now: number;
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly clientIp: string;
  readonly facets: readonly Facet[];
  readonly accept?: string | undefined;
  readonly userAgent?: string | undefined;
}

const ID_SHAPE =
  /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|[a-z0-9_-]*\d[a-z0-9_-]{7,})$/i;
const PAGE_PARAM = /(?:^|&)(page|p|offset)=(\d{1,9})(?:&|$)/;
const LIMIT_PARAM = /(?:^|&)(?:limit|per_page|size)=(\d{1,6})(?:&|$)/;

/** What a method + path says about a request, computed once per distinct path (cached). */
interface Shape {
  readonly route: string;
  readonly objectId?: string;
  readonly isLogin: boolean;
  readonly isEnumeration: boolean;
  readonly probedAccount?: string;
}

export class ViewBuilder {
  readonly #login: RouteMatcher;
  readonly #enumeration: RouteMatcher;
  readonly #objects: RouteMatcher;
  /** Path → template cache: APIs have few templates and many repeats (style rule 6: never re-parse). */
  readonly #routes = new CappedLru<string, Shape>(20_000);

  constructor(config: BehaviourConfig) {
    this.#login = compileRoutes(config.routes.login);
    this.#enumeration = compileRoutes(config.routes.enumeration);
    this.#objects = compileRoutes(config.routes.objects);
  }

  build(input: ViewInput): RequestView {
    const path = input.path.toLowerCase();
    const method = input.method.toUpperCase();
    const key = `${method} ${path}`;
    let shape = this.#routes.get(key);
    if (!shape) {
      shape = this.#shape(method, path);
      this.#routes.set(key, shape);
    }
    // One pass over the facets, first of each kind wins (the stage pushes them most specific first).
    let ip: Facet | undefined;
    let subnet: Facet | undefined;
    let tls: Facet | undefined;
    let http: Facet | undefined;
    let principal: Facet | undefined;
    let account: Facet | undefined;
    for (const f of input.facets) {
      const kind = f.slice(0, f.indexOf(':'));
      if (kind === 'ip') ip ??= f;
      else if (kind === 'subnet') subnet ??= f;
      else if (kind === 'tls') tls ??= f;
      else if (kind === 'http') http ??= f;
      else if (kind === 'principal') principal ??= f;
      else if (kind === 'account') account ??= f;
    }
    subnet ??= subnetOf(input.clientIp);
    const numericId =
      shape.objectId !== undefined && /^\d{1,15}$/.test(shape.objectId) ? Number(shape.objectId) : undefined;
    // Built as one literal with every field present (absent ones undefined): one object shape for every request,
    // where conditional spreads made a temporary object per optional field and a copy for `stack`.
    return {
      now: input.now,
      method,
      path,
      route: shape.route,
      pageDepth: pageDepth(input.rawQuery),
      ip: ip ?? (`ip:${input.clientIp}` as Facet),
      isLogin: shape.isLogin,
      isEnumeration: shape.isEnumeration,
      acceptsHtml: input.accept?.includes('text/html') ?? false,
      binding: tls ?? `ua:${input.userAgent ?? ''}`,
      objectId: shape.objectId,
      probedAccount: shape.probedAccount,
      numericId,
      subnet,
      tls,
      http,
      principal,
      account,
      stack: tls ?? http,
    };
  }

  #shape(method: string, path: string): Shape {
    const configured = this.#objects(method, path);
    const parts = path.split('/');
    let objectId: string | undefined;
    if (configured?.params.id !== undefined) objectId = configured.params.id;
    const template = parts.map((part) => {
      if (part.length > 0 && ID_SHAPE.test(part)) {
        if (configured === undefined) objectId = part;
        return ':id';
      }
      return part;
    });
    const route = `${method} ${template.join('/')}`;
    const probe = this.#enumeration(method, path);
    const probedAccount = probe === undefined ? undefined : Object.values(probe.params)[0];
    return {
      route,
      isLogin: this.#login(method, path) !== undefined,
      isEnumeration: probe !== undefined,
      ...(objectId !== undefined && { objectId }),
      ...(probedAccount !== undefined && { probedAccount }),
    };
  }
}

function pageDepth(rawQuery: string): number {
  if (rawQuery.length === 0) return 0;
  const page = PAGE_PARAM.exec(rawQuery);
  if (!page) return 0;
  const value = Number(page[2]);
  if (page[1] !== 'offset') return value;
  const limit = Number(LIMIT_PARAM.exec(rawQuery)?.[1] ?? 20);
  return Math.floor(value / Math.max(1, limit));
}

/** /24 for IPv4 and /64 for IPv6 when identity did not supply a subnet facet (offline replay, tests). */
export function subnetOf(ip: string): Facet | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `subnet:${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (!ip.includes(':')) return undefined;
  const groups = ip.split(':').slice(0, 4);
  return groups.length === 4 && !ip.startsWith('::') ? `subnet:${groups.join(':')}::/64` : undefined;
}
