import type { ForwardedInfo } from '../../proxy/headers.ts';
import type { Upstream } from '../../proxy/upstream.ts';
import { tunnelUpgrade } from '../../proxy/websocket.ts';
import type { TrustedProxies } from '../../server/trusted-proxies.ts';
import type { RequestContext } from '../context.ts';
import type { Stage } from '../stage.ts';
import type { Behaviour } from './behaviour-port.ts';

/**
 * forward: stream the request to the upstream and its answer back. A tarpit verdict (enforce mode) holds the
 * request first, under the behaviour area's global caps.
 */
export function createForwardStage(
  upstream: Upstream,
  trusted: TrustedProxies,
  connectTimeoutMs: number,
  behaviour?: Behaviour,
): Stage {
  const tunnel = { origin: upstream.origin, host: upstream.host, basePath: upstream.basePath, connectTimeoutMs };
  const send = async (ctx: RequestContext) => {
    const fwd: ForwardedInfo = {
      peer: ctx.conn.remoteAddress,
      proto: ctx.conn.secure ? 'https' : 'http',
      host: ctx.req.headers.host,
      peerTrusted: !trusted.empty && trusted.has(ctx.conn.remoteAddress),
    };
    if (ctx.upgrade !== undefined) await tunnelUpgrade(ctx, tunnel, fwd);
    else await upstream.forward(ctx, fwd);
  };
  return {
    name: 'forward',
    run(ctx: RequestContext) {
      const v = ctx.verdict;
      if (v.action === 'tarpit' && ctx.enforce && behaviour !== undefined) {
        return behaviour.tarpit(ctx, v).then(() => (ctx.res.destroyed || ctx.res.headersSent ? undefined : send(ctx)));
      }
      return send(ctx);
    },
  };
}
