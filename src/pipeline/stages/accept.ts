import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../../core/clock.ts';
import { newIncidentId } from '../../core/incident-id.ts';
import { normalizeIp } from '../../core/ip.ts';
import { DEFAULT_VERDICT } from '../../core/verdict.ts';
import type { ConnectionInfo, RequestContext, TlsFingerprint } from '../context.ts';

export interface AcceptOptions {
  readonly clock: Clock;
  readonly enforce: boolean;
  /** Reads the TLS fingerprint the listener stored on the socket at ClientHello time (identity area). */
  readonly tlsFingerprintOf?: (socket: Socket) => TlsFingerprint | undefined;
}

/**
 * accept: turns a parsed request into the per-request context. Connection facts (peer address, TLS
 * fingerprint) are computed once per socket and cached on it, since keep-alive clients send many requests.
 */
const CONN = Symbol('portcullis.connection');
type SocketWithInfo = Socket & { [CONN]?: ConnectionInfo };

function connectionInfo(socket: SocketWithInfo, options: AcceptOptions): ConnectionInfo {
  const cached = socket[CONN];
  if (cached !== undefined) return cached;
  const secure = (socket as { encrypted?: boolean }).encrypted === true;
  const tls = secure ? options.tlsFingerprintOf?.(socket) : undefined;
  const info: ConnectionInfo = {
    remoteAddress: normalizeIp(socket.remoteAddress ?? '') ?? '0.0.0.0',
    remotePort: socket.remotePort ?? 0,
    secure,
    ...(tls === undefined ? {} : { tls }),
  };
  socket[CONN] = info;
  return info;
}

export function createAccept(options: AcceptOptions) {
  return function accept(
    req: IncomingMessage,
    res: ServerResponse,
    hasBody: boolean,
    upgrade?: RequestContext['upgrade'],
  ): RequestContext {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const now = options.clock.now();
    const conn = connectionInfo(req.socket as SocketWithInfo, options);
    return {
      id: newIncidentId(now),
      receivedAt: now,
      req,
      res,
      conn,
      method: req.method ?? 'GET',
      path: q === -1 ? url : url.slice(0, q),
      rawQuery: q === -1 ? '' : url.slice(q + 1),
      enforce: options.enforce,
      ...(upgrade === undefined ? {} : { upgrade }),
      clientIp: conn.remoteAddress,
      facets: [],
      findings: [],
      verdict: DEFAULT_VERDICT,
      exempt: false,
      body: hasBody ? { kind: 'unread' } : { kind: 'none' },
      timings: {},
      notes: {},
    };
  };
}
