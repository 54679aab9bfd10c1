import { DECISION_ACTIONS, type DecisionAction, type DecisionKind } from '../core/decision.ts';
import { parseDuration } from './duration.ts';

/**
 * Bulk-import formats. Line formats are parsed one line at a time as the upload streams in; JSON formats
 * (import-json.ts) are parsed whole under a lower size limit.
 *
 *   text     one IP or CIDR a line; `#` starts a comment (whole line or after the value)
 *   netset   FireHOL `.netset` / `.ipset`: the same, with `#` header blocks (https://iplists.firehol.org/)
 *   drop     Spamhaus DROP/EDROP: `1.10.16.0/20 ; SBL256894` (`;` comments), or the newer drop_v4.json lines
 *            `{"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}` (https://www.spamhaus.org/blocklists/do-not-route-or-peer/)
 *   csv      `value,action,ttl,reason`; optional header row; ttl in seconds or `90s`/`15m`/`24h`/`7d`; reason may be quoted
 *   json     `[ "1.2.3.4", {"value":"10.0.0.0/8","action":"block","ttl":"24h","reason":"…","kind":"cidr"} ]`
 *   crowdsec CrowdSec LAPI decisions: `[ {"value","scope":"Ip"|"Range","type":"ban","duration":"3h59m"} ]` or the
 *            stream form `{"new":[…],"deleted":[…]}` (https://crowdsecurity.github.io/api_doc/lapi/)
 */
export const IMPORT_FORMATS = ['text', 'netset', 'drop', 'csv', 'json', 'crowdsec'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const LINE_FORMATS: readonly ImportFormat[] = ['text', 'netset', 'drop', 'csv'];

/** One accepted line before its value is parsed; absent fields take the import's defaults. */
export interface ImportEntry {
  readonly value: string;
  readonly kind?: DecisionKind | undefined;
  readonly action?: DecisionAction | undefined;
  readonly ttlMs?: number | undefined;
  readonly reason?: string | undefined;
}

/** What a line turned into: an entry, nothing (blank or comment), or an error saying what is wrong. */
export type LineResult = ImportEntry | string | null;

/** Picks a format from `?format=`, else the Content-Type, else undefined (the caller reports it). */
export function detectFormat(explicit: string | null, contentType: string | undefined): ImportFormat | undefined {
  if (explicit !== null && explicit !== '') {
    return (IMPORT_FORMATS as readonly string[]).includes(explicit) ? (explicit as ImportFormat) : undefined;
  }
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct === 'text/plain' || ct === '' || ct === 'application/octet-stream') return 'text';
  if (ct === 'text/csv') return 'csv';
  if (ct === 'application/json') return 'json';
  return undefined;
}

export function parseLine(format: ImportFormat, line: string): LineResult {
  if (format === 'csv') return parseCsvLine(line);
  if (format === 'drop') {
    const t = line.trim();
    if (t.startsWith('{')) return parseDropJsonLine(t);
    return valueOnly(cut(line, ';'));
  }
  return valueOnly(cut(line, '#'));
}

function cut(line: string, comment: string): string {
  const i = line.indexOf(comment);
  return (i === -1 ? line : line.slice(0, i)).trim();
}

function valueOnly(v: string): LineResult {
  if (v === '') return null;
  if (/\s/.test(v)) return `more than one value on the line ("${v.slice(0, 40)}"): put one IP or CIDR a line`;
  return { value: v };
}

function parseDropJsonLine(t: string): LineResult {
  let o: unknown;
  try {
    o = JSON.parse(t);
  } catch {
    return 'not valid JSON';
  }
  if (typeof o !== 'object' || o === null) return 'not a JSON object';
  const rec = o as Record<string, unknown>;
  if (rec['type'] === 'metadata') return null;
  if (typeof rec['cidr'] !== 'string') return 'no "cidr" field';
  return typeof rec['sblid'] === 'string'
    ? { value: rec['cidr'], reason: `Spamhaus DROP ${rec['sblid']}` }
    : { value: rec['cidr'] };
}

/** RFC 4180 fields: commas separate, double quotes wrap fields with commas, `""` is a quote inside one. */
export function splitCsv(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      while (i < line.length && line[i] !== ',') if (line[i++] !== ' ') return undefined;
    } else {
      const j = line.indexOf(',', i);
      field = line.slice(i, j === -1 ? line.length : j);
      i = j === -1 ? line.length : j;
    }
    out.push(field.trim());
    if (i >= line.length) return out;
    i++;
  }
}

function parseCsvLine(line: string): LineResult {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return null;
  const f = splitCsv(t);
  if (f === undefined) return 'unbalanced quotes';
  if (f.length > 4) return `${f.length} fields: use value,action,ttl,reason (quote a reason that has commas)`;
  const [value = '', action = '', ttl = '', reason = ''] = f;
  if (value.toLowerCase() === 'value') return null; // header row
  if (value === '') return 'empty value';
  let a: DecisionAction | undefined;
  if (action !== '') {
    if (!(DECISION_ACTIONS as readonly string[]).includes(action)) {
      return `unknown action "${action.slice(0, 20)}": use ${DECISION_ACTIONS.join('|')}`;
    }
    a = action as DecisionAction;
  }
  let ttlMs: number | undefined;
  if (ttl !== '') {
    ttlMs = /^\d+$/.test(ttl) ? Number(ttl) * 1000 : parseDuration(ttl);
    if (ttlMs === undefined) return `bad ttl "${ttl.slice(0, 20)}": use seconds or 90s, 15m, 24h, 7d`;
  }
  return { value, action: a, ttlMs, reason: reason === '' ? undefined : reason };
}
