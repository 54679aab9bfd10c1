import { DECISION_ACTIONS, DECISION_KINDS, type DecisionAction, type DecisionKind } from '../core/decision.ts';
import { formatV4, formatV6, maskV4, maskV6, parseIp, V4 } from './addr.ts';
import { ACTION_RANK } from './profiles.ts';
import { parseTarget } from './target.ts';

/** Search and bulk-delete filters; every field narrows (AND). Times are epoch ms. */
export interface DecisionFilter {
  kind?: DecisionKind;
  /** Exact target (normalised like a new decision's value). */
  value?: string;
  /** An IP: decisions on it and on every CIDR covering it. */
  contains?: string;
  action?: DecisionAction;
  /** Substring of the reason, case-insensitive. */
  reason?: string;
  /** Exact source, or a prefix ending in `:` (`import:` = every import). */
  source?: string;
  createdSince?: number;
  createdBefore?: number;
  expiringBefore?: number;
}

export const FILTER_KEYS = [
  'kind',
  'value',
  'contains',
  'action',
  'reason',
  'source',
  'createdSince',
  'createdBefore',
  'expiringBefore',
] as const;

export type FilterResult = { ok: true; filter: DecisionFilter } | { ok: false; error: string };

/** Reads a filter from query parameters; times may be epoch ms or ISO 8601. */
export function filterFromQuery(q: URLSearchParams): FilterResult {
  const f: DecisionFilter = {};
  for (const key of FILTER_KEYS) {
    const v = q.get(key);
    if (v === null || v === '') continue;
    if (key === 'kind') {
      if (!(DECISION_KINDS as readonly string[]).includes(v)) return bad(key, v, DECISION_KINDS.join('|'));
      f.kind = v as DecisionKind;
    } else if (key === 'action') {
      if (!(DECISION_ACTIONS as readonly string[]).includes(v)) return bad(key, v, DECISION_ACTIONS.join('|'));
      f.action = v as DecisionAction;
    } else if (key === 'createdSince' || key === 'createdBefore' || key === 'expiringBefore') {
      const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
      if (!Number.isFinite(t)) return bad(key, v, 'epoch milliseconds or an ISO 8601 time');
      f[key] = t;
    } else if (key === 'contains') {
      if (parseIp(v, 0, v.length, new Uint32Array(4)) === 0) return bad(key, v, 'an IPv4 or IPv6 address');
      f.contains = v;
    } else f[key] = v;
  }
  return { ok: true, filter: f };
}

function bad(key: string, v: string, want: string): FilterResult {
  return { ok: false, error: `filter ${key}="${v.slice(0, 60)}" is not valid: use ${want}` };
}

export function isEmptyFilter(f: DecisionFilter): boolean {
  return FILTER_KEYS.every((k) => f[k] === undefined);
}

/** Every stored spelling that could apply to an IP: the address itself and each covering CIDR. */
export function coveringValues(ip: string): { ip: string; cidrs: string[] } | undefined {
  const w = new Uint32Array(4);
  const fam = parseIp(ip, 0, ip.length, w);
  if (fam === 0) return undefined;
  const cidrs: string[] = [];
  if (fam === V4) {
    const a = w[3]!;
    for (let b = 0; b <= 32; b++) cidrs.push(`${formatV4((a & maskV4(b)) >>> 0)}/${b}`);
    return { ip: formatV4(a), cidrs };
  }
  const ipText = formatV6(w);
  for (let b = 0; b <= 128; b++) {
    const m = Uint32Array.from(w);
    maskV6(m, b);
    cidrs.push(`${formatV6(m)}/${b}`);
  }
  return { ip: ipText, cidrs };
}

/** SQL WHERE clause (over `d` decisions and `p` profiles) and its parameters. Active decisions only. */
export function filterSql(f: DecisionFilter, now: number): { where: string; params: unknown[] } {
  const parts = ['(p.expires_at IS NULL OR p.expires_at > ?)'];
  const params: unknown[] = [now];
  if (f.kind !== undefined) {
    parts.push('d.kind = ?');
    params.push(DECISION_KINDS.indexOf(f.kind));
  }
  if (f.value !== undefined) {
    const t = parseTarget(f.kind, f.value);
    parts.push('d.value = ?');
    params.push(t.ok ? t.target.value : f.value);
  }
  if (f.contains !== undefined) {
    const c = coveringValues(f.contains);
    const values = c === undefined ? [] : [c.ip, ...c.cidrs];
    parts.push(`d.value IN (${values.map(() => '?').join(',') || 'NULL'}) AND d.kind IN (0, 1)`);
    params.push(...values);
  }
  if (f.action !== undefined) {
    parts.push('d.action = ?');
    params.push(ACTION_RANK[f.action]);
  }
  if (f.reason !== undefined) {
    parts.push("p.reason LIKE ? ESCAPE '\\'");
    params.push(`%${f.reason.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (f.source !== undefined) {
    if (f.source.endsWith(':')) {
      parts.push('substr(p.source, 1, ?) = ?');
      params.push(f.source.length, f.source);
    } else {
      parts.push('p.source = ?');
      params.push(f.source);
    }
  }
  if (f.createdSince !== undefined) {
    parts.push('p.created_at >= ?');
    params.push(f.createdSince);
  }
  if (f.createdBefore !== undefined) {
    parts.push('p.created_at < ?');
    params.push(f.createdBefore);
  }
  if (f.expiringBefore !== undefined) {
    parts.push('p.expires_at IS NOT NULL AND p.expires_at < ?');
    params.push(f.expiringBefore);
  }
  return { where: parts.join(' AND '), params };
}
