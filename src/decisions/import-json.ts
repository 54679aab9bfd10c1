import { DECISION_ACTIONS, DECISION_KINDS, type DecisionAction, type DecisionKind } from '../core/decision.ts';
import { parseDuration } from './duration.ts';
import type { ImportEntry } from './import-formats.ts';

/** One element of a JSON import: an entry, or an error for that element (reported as "line" = index + 1). */
export type JsonItem = { entry: ImportEntry } | { error: string };

/** `json` format: an array of strings or objects {value, kind?, action?, ttl?, reason?}. */
export function parseJsonImport(doc: unknown): JsonItem[] | string {
  if (!Array.isArray(doc)) return 'the JSON import must be an array of values or objects';
  return doc.map((item): JsonItem => {
    if (typeof item === 'string') return { entry: { value: item } };
    if (typeof item !== 'object' || item === null) return { error: 'each element must be a string or an object' };
    const o = item as Record<string, unknown>;
    if (typeof o['value'] !== 'string') return { error: 'missing string field "value"' };
    let kind: DecisionKind | undefined;
    if (o['kind'] !== undefined) {
      if (!(DECISION_KINDS as readonly unknown[]).includes(o['kind'])) {
        return { error: `unknown kind: use ${DECISION_KINDS.join('|')}` };
      }
      kind = o['kind'] as DecisionKind;
    }
    let action: DecisionAction | undefined;
    if (o['action'] !== undefined) {
      if (!(DECISION_ACTIONS as readonly unknown[]).includes(o['action'])) {
        return { error: `unknown action: use ${DECISION_ACTIONS.join('|')}` };
      }
      action = o['action'] as DecisionAction;
    }
    let ttlMs: number | undefined;
    const ttl = o['ttl'] ?? o['ttlMs'];
    if (ttl !== undefined) {
      ttlMs = typeof ttl === 'number' && o['ttlMs'] !== undefined ? ttl : ttlOf(ttl);
      if (ttlMs === undefined || ttlMs < 0) return { error: 'bad ttl: use seconds (number) or "90s", "24h", "7d"' };
    }
    const reason = typeof o['reason'] === 'string' ? o['reason'] : undefined;
    return { entry: { value: o['value'], kind, action, ttlMs, reason } };
  });
}

function ttlOf(ttl: unknown): number | undefined {
  if (typeof ttl === 'number') return Number.isFinite(ttl) ? ttl * 1000 : undefined;
  if (typeof ttl === 'string') return parseDuration(ttl);
  return undefined;
}

/** CrowdSec remediation types → our actions (https://docs.crowdsec.net/docs/next/local_api/bouncers/). */
const CROWDSEC_TYPES: Readonly<Record<string, DecisionAction>> = {
  ban: 'block',
  captcha: 'challenge',
  throttle: 'tarpit',
};

/** `crowdsec` format: LAPI `/v1/decisions` array, or the `/v1/decisions/stream` object (its `new` list). */
export function parseCrowdsecImport(doc: unknown): JsonItem[] | string {
  let list: unknown = doc;
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    list = (doc as Record<string, unknown>)['new'] ?? [];
  }
  if (!Array.isArray(list)) return 'expected a CrowdSec decisions array or a stream object with "new"';
  return list.map((item): JsonItem => {
    if (typeof item !== 'object' || item === null) return { error: 'each decision must be an object' };
    const o = item as Record<string, unknown>;
    const scope = String(o['scope'] ?? '').toLowerCase();
    if (scope !== 'ip' && scope !== 'range') {
      return { error: `scope "${String(o['scope']).slice(0, 20)}" is not supported: only Ip and Range` };
    }
    if (typeof o['value'] !== 'string') return { error: 'missing string field "value"' };
    const action = CROWDSEC_TYPES[String(o['type'] ?? 'ban')];
    if (action === undefined)
      return { error: `type "${String(o['type']).slice(0, 20)}": use ban, captcha or throttle` };
    let ttlMs: number | undefined;
    if (o['duration'] !== undefined) {
      ttlMs = typeof o['duration'] === 'string' ? parseDuration(o['duration'].replace(/^-/, '')) : undefined;
      if (ttlMs === undefined || String(o['duration']).startsWith('-')) {
        return { error: `duration "${String(o['duration']).slice(0, 20)}" is malformed or already past` };
      }
    }
    const reason = [o['origin'], o['scenario']].filter((x) => typeof x === 'string' && x !== '').join(' ');
    return {
      entry: {
        value: o['value'],
        kind: scope === 'ip' ? 'ip' : 'cidr',
        action,
        ttlMs,
        reason: reason === '' ? undefined : `crowdsec ${reason}`,
      },
    };
  });
}
