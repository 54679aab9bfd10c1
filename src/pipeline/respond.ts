import { rawProblem, sendProblem } from '../proxy/problem.ts';
import type { RequestContext } from './context.ts';
import type { Behaviour } from './stages/behaviour-port.ts';

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
    // A client still sending a body we refused: close after answering rather than drain it.
    const close = ctx.body.kind !== 'none' && !ctx.req.complete;
    sendProblem(ctx.res, status, ctx.id, close ? { connection: 'close' } : undefined);
  };
}
