import type { AdminRequest, AdminResponse, AdminRoute } from '../admin/route.ts';
import { DECISION_ACTIONS, DECISION_KINDS, type DecisionAction, type DecisionKind } from '../core/decision.ts';
import { type ErrorCode, isPortcullisError } from '../core/errors.ts';
import type { Facet } from '../core/facet.ts';
import { describe } from './core.ts';
import { parseDuration } from './duration.ts';
import { EXPORT_CONTENT_TYPE, EXPORT_FORMATS, type ExportFormat } from './export.ts';
import { filterFromQuery } from './filter.ts';
import { detectFormat, IMPORT_FORMATS } from './import-formats.ts';
import type { DecisionService } from './service.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  PC_ERR_DECISIONS_INVALID: 400,
  PC_ERR_DECISIONS_NOT_FOUND: 404,
  PC_ERR_DECISIONS_IMPORT_FORMAT: 415,
  PC_ERR_DECISIONS_IMPORT_TOO_LARGE: 413,
  PC_ERR_DECISIONS_FILTER: 409,
  PC_ERR_DECISIONS_IDS_EXHAUSTED: 507,
  PC_ERR_ADMIN_BAD_REQUEST: 400,
};

export function problem(status: number, code: ErrorCode, detail: string, extra: object = {}): AdminResponse {
  return {
    status,
    json: { type: `https://portcullis.dev/errors#${code}`, title: code, status, code, detail, ...extra },
    headers: { 'content-type': 'application/problem+json' },
  };
}

/** Our errors become problem objects here, so the admin server only ever sees its own. */
function guarded(handler: (req: AdminRequest) => Promise<AdminResponse> | AdminResponse) {
  return async (req: AdminRequest): Promise<AdminResponse> => {
    try {
      return await handler(req);
    } catch (e) {
      if (isPortcullisError(e) && STATUS[e.code] !== undefined) return problem(STATUS[e.code]!, e.code, e.message);
      throw e;
    }
  };
}

const bad = (detail: string) => problem(400, 'PC_ERR_ADMIN_BAD_REQUEST', detail);

/** TTL as the API takes it: `90s`, `15m`, `24h`, `7d`, or a bare number of seconds. */
export function parseTtl(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) * 1000 : parseDuration(text);
}

function pageOf(req: AdminRequest): { cursor?: string; limit?: number } | string {
  const limit = req.query.get('limit');
  const cursor = req.query.get('cursor');
  if (limit !== null && !/^[1-9]\d{0,5}$/.test(limit)) return 'limit must be a positive whole number';
  return { ...(cursor === null ? {} : { cursor }), ...(limit === null ? {} : { limit: Number(limit) }) };
}

/** Admin API v1 for decisions (docs/decisions.md lists them with examples). */
export function decisionRoutes(service: DecisionService): AdminRoute[] {
  const route = (
    method: AdminRoute['method'],
    path: string,
    summary: string,
    h: (req: AdminRequest) => Promise<AdminResponse> | AdminResponse,
  ): AdminRoute => ({ method, path, summary, handler: guarded(h) });

  return [
    route(
      'POST',
      '/api/v1/decisions',
      'Create one decision (JSON: value, kind?, action?, ttl?, reason?, evidence?).',
      (req) => createOne(service, req),
    ),
    route('GET', '/api/v1/decisions', 'Search decisions by filter, newest first, with cursor paging.', (req) => {
      const f = filterFromQuery(req.query);
      if (!f.ok) return bad(f.error);
      const page = pageOf(req);
      if (typeof page === 'string') return bad(page);
      return { status: 200, json: service.search(f.filter, page) };
    }),
    route(
      'DELETE',
      '/api/v1/decisions',
      'Bulk delete by filter: ?dryRun=true counts, then ?confirm=<count>&why=<note> deletes.',
      (req) => bulkDelete(service, req),
    ),
    route(
      'POST',
      '/api/v1/decisions/import',
      'Bulk import a streamed list (text, netset, drop, csv, json, crowdsec).',
      (req) => importRoute(service, req),
    ),
    route(
      'GET',
      '/api/v1/decisions/export',
      'Export as plain list, nftables set, ipset restore file or JSON.',
      (req) => {
        const format = (req.query.get('format') ?? 'plain') as ExportFormat;
        if (!EXPORT_FORMATS.includes(format)) return bad(`format must be one of ${EXPORT_FORMATS.join('|')}`);
        const f = filterFromQuery(req.query);
        if (!f.ok) return bad(f.error);
        const name = req.query.get('name') ?? 'portcullis';
        if (!/^[A-Za-z][\w-]{0,30}$/.test(name))
          return bad('name must be a letter then up to 30 letters, digits, - or _');
        return {
          status: 200,
          stream: service.export(f.filter, format, name),
          contentType: EXPORT_CONTENT_TYPE[format],
        };
      },
    ),
    route('GET', '/api/v1/decisions/stats', 'Sizes of the in-memory gate and of the last start-up load.', () => ({
      status: 200,
      json: service.stats(),
    })),
    route('GET', '/api/v1/decisions/:id', 'One decision, with its explanation.', (req) => {
      const d = service.get(req.params['id'] ?? '');
      if (d === undefined) {
        return problem(
          404,
          'PC_ERR_DECISIONS_NOT_FOUND',
          `no active decision ${req.params['id']}; it was removed or expired`,
        );
      }
      return { status: 200, json: { ...d, explanation: describe(d) } };
    }),
    route('DELETE', '/api/v1/decisions/:id', 'Delete one decision (?why= goes to the audit log).', async (req) => {
      const why = req.query.get('why') ?? req.query.get('reason') ?? '';
      const d = await service.remove(req.params['id'] ?? '', req.actor, why);
      return { status: 200, json: { removed: d } };
    }),
    route(
      'GET',
      '/api/v1/explain',
      'Every decision that applies to ?ip= (and ?tls=, ?http=, ?principal=, ?account=) and which wins.',
      (req) => {
        const ip = req.query.get('ip');
        if (ip === null || ip === '') return bad('pass ?ip=<address>');
        const facets: Facet[] = [];
        for (const k of ['tls', 'http', 'principal', 'account'] as const) {
          for (const v of req.query.getAll(k)) facets.push(`${k}:${v}`);
        }
        const e = service.explain(ip, facets);
        return e === undefined
          ? bad(`ip "${ip.slice(0, 60)}" is not an IPv4 or IPv6 address`)
          : { status: 200, json: e };
      },
    ),
    route('GET', '/api/v1/audit', 'The audit log of decision changes, newest first, with cursor paging.', (req) => {
      const page = pageOf(req);
      if (typeof page === 'string') return bad(page);
      return { status: 200, json: service.audit(page) };
    }),
  ];
}

async function createOne(service: DecisionService, req: AdminRequest): Promise<AdminResponse> {
  const body = await req.json(64 * 1024);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad('send a JSON object with "value"');
  const o = body as Record<string, unknown>;
  if (typeof o['value'] !== 'string') return bad('"value" (an IP, CIDR or facet value) is required');
  const kind = (o['kind'] ?? (o['value'].includes('/') ? 'cidr' : 'ip')) as DecisionKind;
  if (!DECISION_KINDS.includes(kind)) return bad(`"kind" must be one of ${DECISION_KINDS.join('|')}`);
  const action = (o['action'] ?? 'block') as DecisionAction;
  if (!DECISION_ACTIONS.includes(action)) return bad(`"action" must be one of ${DECISION_ACTIONS.join('|')}`);
  let ttlMs: number | undefined;
  if (o['ttlMs'] !== undefined) ttlMs = typeof o['ttlMs'] === 'number' ? o['ttlMs'] : Number.NaN;
  else if (o['ttl'] !== undefined) ttlMs = parseTtl(String(o['ttl'])) ?? Number.NaN;
  if (ttlMs !== undefined && !(ttlMs > 0)) return bad('"ttl" must be like "24h" or seconds; "ttlMs" a positive number');
  const reason = o['reason'] === undefined ? '' : o['reason'];
  if (typeof reason !== 'string') return bad('"reason" must be a string');
  const evidence = o['evidence'];
  if (evidence !== undefined && (typeof evidence !== 'object' || evidence === null)) {
    return bad('"evidence" must be an object {findingIds?, incidentIds?, note?}');
  }
  const d = await service.add(
    {
      kind,
      value: o['value'],
      action,
      reason,
      source: 'manual',
      ...(ttlMs === undefined ? {} : { ttlMs }),
      ...(evidence === undefined ? {} : { evidence: evidence as object }),
    },
    req.actor,
  );
  return { status: 201, json: d, headers: { location: `/api/v1/decisions/${d.id}` } };
}

async function bulkDelete(service: DecisionService, req: AdminRequest): Promise<AdminResponse> {
  const f = filterFromQuery(req.query);
  if (!f.ok) return bad(f.error);
  const count = service.count(f.filter);
  if (req.query.get('dryRun') === 'true' || req.query.get('dryRun') === '1') {
    return { status: 200, json: { dryRun: true, count, filter: f.filter } };
  }
  const confirm = req.query.get('confirm');
  if (confirm === null || Number(confirm) !== count) {
    return problem(
      409,
      'PC_ERR_DECISIONS_FILTER',
      `this filter matches ${count} decision(s); repeat with confirm=${count} to delete them`,
      { count },
    );
  }
  // `reason` is a filter here (reason substring), so the audit note travels as `why`.
  const removed = await service.removeMatching(f.filter, req.actor, req.query.get('why') ?? '');
  return { status: 200, json: { removed } };
}

async function importRoute(service: DecisionService, req: AdminRequest): Promise<AdminResponse> {
  const q = req.query;
  const format = detectFormat(q.get('format'), req.headers['content-type']);
  if (format === undefined) {
    return problem(
      415,
      'PC_ERR_DECISIONS_IMPORT_FORMAT',
      `unknown import format; pass ?format=${IMPORT_FORMATS.join('|')}`,
    );
  }
  const action = q.get('action') ?? undefined;
  if (action !== undefined && !(DECISION_ACTIONS as readonly string[]).includes(action)) {
    return bad(`action must be one of ${DECISION_ACTIONS.join('|')}`);
  }
  const ttlText = q.get('ttl');
  const ttlMs = ttlText === null ? undefined : parseTtl(ttlText);
  if (ttlMs === undefined && ttlText !== null) return bad('ttl must be like 24h, 7d, or a number of seconds');
  const name = q.get('name') ?? undefined;
  if (name !== undefined && !/^[\w.@/-]{1,100}$/.test(name)) return bad('name may use letters, digits and . @ / - _');
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const limit = service.importLimit;
  if (declared > limit) {
    // Refused before reading a byte: the client learns at once instead of after uploading 2 GB.
    return {
      ...problem(
        413,
        'PC_ERR_DECISIONS_IMPORT_TOO_LARGE',
        `upload of ${declared} bytes is over the ${limit}-byte limit; split it or raise decisions.importMaxBytes`,
      ),
      headers: { 'content-type': 'application/problem+json', connection: 'close' },
    };
  }
  const report = await service.import(req.raw, {
    format,
    name,
    action: action as DecisionAction | undefined,
    ttlMs,
    reason: q.get('reason') ?? undefined,
    by: req.actor,
  });
  if (report.refused !== undefined) {
    return {
      ...problem(413, 'PC_ERR_DECISIONS_IMPORT_TOO_LARGE', report.refused, { report }),
      headers: { 'content-type': 'application/problem+json', connection: 'close' },
    };
  }
  return { status: 200, json: report };
}
