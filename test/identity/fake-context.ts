import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_VERDICT } from '../../src/core/verdict.ts';
import type { RequestContext, TlsFingerprint } from '../../src/pipeline/context.ts';

/** A request context without sockets, for driving the identifier from recorded header sets. */
export function fakeContext(options: {
  rawHeaders: readonly string[];
  method?: string;
  path?: string;
  ip?: string;
  secure?: boolean;
  tls?: TlsFingerprint;
  body?: Buffer;
  httpVersion?: string;
}): RequestContext {
  const headers: Record<string, string> = {};
  for (let i = 0; i < options.rawHeaders.length; i += 2) {
    headers[options.rawHeaders[i]!.toLowerCase()] = options.rawHeaders[i + 1]!;
  }
  const req = { headers, rawHeaders: [...options.rawHeaders], httpVersion: options.httpVersion ?? '1.1' };
  const ip = options.ip ?? '198.51.100.7';
  return {
    id: 'test',
    receivedAt: Date.UTC(2026, 0, 1),
    req: req as unknown as IncomingMessage,
    res: {} as ServerResponse,
    conn: {
      remoteAddress: ip,
      remotePort: 40000,
      secure: options.secure ?? options.tls !== undefined,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    },
    method: options.method ?? 'GET',
    path: options.path ?? '/',
    rawQuery: '',
    enforce: true,
    clientIp: ip,
    facets: [`ip:${ip}`],
    findings: [],
    verdict: DEFAULT_VERDICT,
    exempt: false,
    body: options.body === undefined ? { kind: 'none' } : { kind: 'buffered', bytes: options.body, complete: true },
    timings: {},
    notes: {},
  };
}
