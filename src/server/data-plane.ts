import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { PortcullisError } from '../core/errors.ts';
import { newIncidentId } from '../core/incident-id.ts';
import { normalizeIp } from '../core/ip.ts';
import type { Verdict } from '../core/verdict.ts';
import { declaredBodyLength, requestHasBody } from '../pipeline/body.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';
import { rawProblem } from '../proxy/problem.ts';

export interface DataPlaneLimits {
  readonly maxHeaderBytes: number;
  readonly maxBodyBytes: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnectionsPerIp: number;
}

export interface ClientErrorReport {
  readonly incidentId: string;
  readonly peer: string;
  readonly status: number;
  readonly code: string;
}

export interface DataPlaneOptions {
  readonly limits: DataPlaneLimits;
  readonly pipeline: Pipeline;
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Malformed HTTP, oversized headers, slow headers: answered here, reported for the access log and metrics. */
  readonly onClientError: (report: ClientErrorReport) => void;
  readonly onConnectionRefused?: (peer: string) => void;
}

/**
 * Malformed requests never reach the pipeline: Node's parser rejects them. We answer with the problem the
 * parser's code implies (RFC 9110: 431 for header fields too large, 408 for a request that arrived too slowly).
 */
function statusOfParserError(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADERS_TIMEOUT') return 408;
  return 400;
}

function loadTls(tls: { cert: string; key: string }): { cert: Buffer; key: Buffer } {
  try {
    return { cert: readFileSync(tls.cert), key: readFileSync(tls.key) };
  } catch (cause) {
    throw new PortcullisError(
      'PC_ERR_SERVER_TLS',
      `cannot read https.cert or https.key (${(cause as Error).message}); check the paths`,
      { cause },
    );
  }
}

/**
 * One data-plane listener (plain HTTP or HTTPS). Limits that belong to the connection live here: header size,
 * header and request time-outs (slowloris), keep-alive idle time and connections per client address.
 */
export function createDataPlaneServer(options: DataPlaneOptions): Server {
  const { limits, pipeline } = options;
  const serverOptions = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    noDelay: true,
  };
  let server: Server;
  if (options.tls !== undefined) {
    let credentials: { cert: Buffer; key: Buffer };
    try {
      credentials = loadTls(options.tls);
      server = createHttpsServer({ ...serverOptions, ...credentials });
    } catch (cause) {
      if (cause instanceof PortcullisError) throw cause;
      throw new PortcullisError(
        'PC_ERR_SERVER_TLS',
        `the TLS certificate or key is invalid (${(cause as Error).message}); check they are PEM and match`,
        { cause },
      );
    }
  } else {
    server = createHttpServer(serverOptions);
  }

  // A client may send its request and then half-close (shutdown(SHUT_WR), as nc and some HTTP/1.0 clients do).
  // Node's default aborts the in-flight request on that FIN; with this set it answers first, then closes
  // (_http_server.js socketOnEnd). RFC 9112 §9.6 lets a client half-close after sending.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;

  const perIp = new Map<string, number>();
  // Counted at TCP accept for both listeners: on HTTPS a socket waiting for its ClientHello holds resources too.
  server.on('connection', (socket: Socket) => {
    const peer = normalizeIp(socket.remoteAddress ?? '') ?? '?';
    const open = (perIp.get(peer) ?? 0) + 1;
    if (open > limits.maxConnectionsPerIp) {
      options.onConnectionRefused?.(peer);
      socket.destroy();
      return;
    }
    perIp.set(peer, open);
    socket.once('close', () => {
      const left = (perIp.get(peer) ?? 1) - 1;
      if (left === 0) perIp.delete(peer);
      else perIp.set(peer, left);
    });
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const hasBody = requestHasBody(req);
    let pre: Verdict | undefined;
    const declared = hasBody ? declaredBodyLength(req) : undefined;
    if (declared !== undefined && declared > limits.maxBodyBytes) {
      pre = {
        action: 'block',
        status: 413,
        reason: `declared body of ${declared} bytes exceeds limits.maxBodyBytes (${limits.maxBodyBytes})`,
      };
    }
    void pipeline.handle(req, res, hasBody, pre);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const res = new ServerResponse(req);
    res.assignSocket(socket as Socket);
    void pipeline.handleUpgrade(req, res, socket, head);
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const status = statusOfParserError(error.code);
    const incidentId = newIncidentId();
    const peer = normalizeIp((socket as Socket).remoteAddress ?? '') ?? '?';
    options.onClientError({ incidentId, peer, status, code: error.code ?? 'unknown' });
    // ECONNRESET and friends: the client is gone, nothing to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(rawProblem(status, incidentId));
  });
  return server;
}

/** Resolves once the listener is bound; a bind failure becomes an operator error. */
export function listen(
  server: Server,
  host: string,
  port: number,
  what: string,
): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new PortcullisError(
          'PC_ERR_SERVER_LISTEN',
          `${what} cannot listen on ${host}:${port} (${error.code ?? error.message}); ${error.code === 'EADDRINUSE' ? 'another process uses that port: pick another or stop it' : 'check the address'}`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve({ host, port: typeof address === 'object' && address !== null ? address.port : port });
    });
  });
}
