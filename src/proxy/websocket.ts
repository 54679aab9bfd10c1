import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestContext } from '../pipeline/context.ts';
import { type ForwardedInfo, requestHeadersForUpstream } from './headers.ts';
import { rawProblem } from './problem.ts';

export interface TunnelTarget {
  readonly origin: string;
  readonly host: string;
  readonly basePath: string;
  readonly connectTimeoutMs: number;
}

function statusLine(status: number, message: string | undefined, headers: string[]): string {
  let out = `HTTP/1.1 ${status} ${message ?? ''}\r\n`;
  for (let i = 0; i < headers.length; i += 2) out += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return `${out}\r\n`;
}

const CONNECTION_SCOPED = /^(connection|keep-alive|transfer-encoding|upgrade)$/i;

/** Raw header pairs without the connection-scoped ones: the body is relayed decoded and delimited by close. */
function endToEnd(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!CONNECTION_SCOPED.test(raw[i]!)) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

/**
 * WebSocket (and any other `Upgrade:`) pass-through: the handshake goes upstream with Connection/Upgrade kept,
 * and after a 101 the two sockets are spliced. A non-101 answer is relayed as is and the connection closed.
 * Inspection has already seen the handshake request; frames after the upgrade are not inspected.
 */
export function tunnelUpgrade(ctx: RequestContext, target: TunnelTarget, fwd: ForwardedInfo): Promise<void> {
  const { socket, head } = ctx.upgrade!;
  const url = new URL(target.origin);
  const headers = requestHeadersForUpstream(ctx.req.headers, fwd, true);
  headers.host = target.host;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = performance.now();
  return new Promise((resolve) => {
    const upstreamReq = request({
      host: url.hostname,
      port: url.port,
      method: ctx.method,
      path: target.basePath + (ctx.req.url ?? '/'),
      headers,
      timeout: target.connectTimeoutMs,
    });
    const fail = (status: 502 | 504, error: 'unreachable' | 'timeout') => {
      ctx.upstream = { status: 0, latencyMs: performance.now() - started, error };
      ctx.responseStatus = status;
      if (!socket.destroyed) socket.end(rawProblem(status, ctx.id));
      resolve();
    };
    upstreamReq.on('timeout', () => {
      upstreamReq.destroy();
      fail(504, 'timeout');
    });
    upstreamReq.on('error', () => fail(502, 'unreachable'));
    upstreamReq.on('upgrade', (res, upstreamSocket, upstreamHead) => {
      upstreamReq.setTimeout(0);
      ctx.upstream = { status: 101, latencyMs: performance.now() - started, headers: res.headers };
      ctx.responseStatus = 101;
      socket.write(statusLine(101, res.statusMessage, res.rawHeaders));
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
      const close = () => {
        upstreamSocket.destroy();
        socket.destroy();
      };
      upstreamSocket.on('error', close);
      socket.on('error', close);
      upstreamSocket.on('close', close);
      socket.on('close', close);
      resolve();
    });
    upstreamReq.on('response', (res) => {
      ctx.upstream = { status: res.statusCode ?? 502, latencyMs: performance.now() - started, headers: res.headers };
      ctx.responseStatus = res.statusCode ?? 502;
      socket.write(
        statusLine(res.statusCode ?? 502, res.statusMessage, [...endToEnd(res.rawHeaders), 'connection', 'close']),
      );
      res.pipe(socket);
      res.on('end', () => {
        socket.end();
        resolve();
      });
    });
    upstreamReq.end();
  });
}
