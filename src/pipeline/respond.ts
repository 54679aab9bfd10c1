import { rawProblem, sendProblem } from '../proxy/problem.ts';
import { declaredBodyLength } from './body.ts';
import type { RequestContext } from './context.ts';
import type { Behaviour } from './stages/behaviour-port.ts';

/** Bodies up to this size are drained after a refusal to keep the connection alive. */
const DRAIN_LIMIT = 65_536;

/**
 * Writes the response of a terminal verdict. Blocks get a problem+json with the incident id and no reason;
 * challenges are rendered by the behaviour area, and become blocks when it cannot render them (e.g. a WebSocket
 * handshake cannot follow a cookie redirect).
 */
export function createResponder(behaviour?: Behaviour) {
  return function respond(ctx: RequestContext): void {
    const v = ctx.verdict;
    if (v.action === 'challenge' && ctx.upgrade === undefined && behaviour?.respond(ctx, v) === true) {
      ctx.responseStatus = ctx.res.statusCode;
      return;
    }
    const status = v.action === 'block' ? (v.status ?? 403) : 403;
    ctx.responseStatus = status;
    if (ctx.upgrade !== undefined) {
      const { socket } = ctx.upgrade;
      if (!socket.destroyed) socket.end(rawProblem(status, ctx.id));
      return;
    }
    // A refused request's unread body: Node discards a small one after the response and keeps the connection
    // (cheaper than a reconnect); a large or unknown-length one is not worth reading, so the connection closes.
    const declared = declaredBodyLength(ctx.req);
    const close = ctx.body.kind !== 'none' && !ctx.req.complete && (declared === undefined || declared > DRAIN_LIMIT);
    sendProblem(ctx.res, status, ctx.id, close ? { connection: 'close' } : undefined);
  };
}
