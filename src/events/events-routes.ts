import { adminProblem } from '../admin/problem.ts';
import type { AdminRoute } from '../admin/route.ts';
import type { EventLog } from './event-log.ts';

/** `since` accepts epoch milliseconds or an ISO 8601 date, because both are what an operator has at hand. */
function parseSince(text: string | null): number | undefined | 'bad' {
  if (text === null || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const t = Date.parse(text);
  return Number.isNaN(t) ? 'bad' : t;
}

export function eventRoutes(log: EventLog): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/events',
      summary:
        'Events (requests acted on, decisions, system) oldest first; filters since, type, incident; cursor paging with after.',
      handler(req) {
        const since = parseSince(req.query.get('since'));
        if (since === 'bad')
          return adminProblem(400, 'PC_ERR_ADMIN_BAD_REQUEST', 'since must be epoch milliseconds or an ISO 8601 date');
        const limitText = req.query.get('limit') ?? '100';
        const limit = Number(limitText);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
          return adminProblem(400, 'PC_ERR_ADMIN_BAD_REQUEST', 'limit must be a whole number from 1 to 10000');
        }
        const afterText = req.query.get('after');
        const after = afterText === null ? undefined : Number(afterText);
        if (after !== undefined && !Number.isInteger(after)) {
          return adminProblem(400, 'PC_ERR_ADMIN_BAD_REQUEST', 'after must be the `next` cursor of a previous page');
        }
        const type = req.query.get('type') ?? undefined;
        const incident = req.query.get('incident') ?? undefined;
        const page = log.read({
          limit,
          ...(since === undefined ? {} : { since }),
          ...(after === undefined ? {} : { after }),
          ...(type === undefined ? {} : { type }),
          ...(incident === undefined ? {} : { incident }),
        });
        return {
          status: 200,
          json: { events: page.events.map((e) => ({ seq: e.seq, ...e.event })), next: page.next ?? null },
        };
      },
    },
  ];
}
