import type { Verdict } from '../core/verdict.ts';
import type { RequestContext } from '../pipeline/context.ts';
import { sendProblem } from '../proxy/problem.ts';
import type { Tarpit } from './tarpit.ts';

/** What a held request is assumed to cost beyond its declared body: headers, socket and parser buffers. */
const OVERHEAD_BYTES = 16 * 1024;

/**
 * Holds a request with a tarpit verdict. When the pit is full the request is blocked here (403 with its
 * incident id), because past the caps holding more would let an attacker exhaust the gateway through us.
 * Resolves once the request should continue to the upstream or has been answered.
 */
export async function holdInTarpit(
  ctx: RequestContext,
  verdict: Verdict & { action: 'tarpit' },
  pit: Tarpit,
): Promise<void> {
  const declared = Number(ctx.req.headers['content-length'] ?? 0);
  const bytes = OVERHEAD_BYTES + (Number.isFinite(declared) ? Math.min(declared, 1024 * 1024) : 0);
  const abort = new AbortController();
  const onClose = () => abort.abort();
  ctx.res.once('close', onClose);
  try {
    const held = await pit.hold(ctx.clientIp, bytes, verdict.delayMs, abort.signal);
    if (held) return;
    ctx.verdict = { action: 'block', reason: `tarpit full (${verdict.reason})` };
    ctx.responseStatus = 403;
    sendProblem(ctx.res, 403, ctx.id);
  } finally {
    ctx.res.off('close', onClose);
  }
}
