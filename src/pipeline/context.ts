import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Facet } from '../core/facet.ts';
import type { Finding } from '../core/finding.ts';
import type { Verdict } from '../core/verdict.ts';
import type { StageName } from './stage.ts';

/** What the accept stage knows about the connection, kept on the socket and shared by its requests. */
export interface ConnectionInfo {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly secure: boolean;
  /** Present on TLS connections once the ClientHello has been read (issue: identity). */
  readonly tls?: TlsFingerprint;
}

export interface TlsFingerprint {
  readonly ja4: string;
  readonly ja3: string;
  /** JA3 before hashing, kept for explanations. */
  readonly ja3Text?: string;
  readonly serverName?: string;
  readonly alpn?: readonly string[];
}

/**
 * The request body as far as the gateway has read it. Bodies are read only when a stage needs them
 * (inspection, account extraction) and never past `detection.limits.bodyBytes`; the rest streams upstream.
 */
export type BodyState =
  | { readonly kind: 'none' } // no body on this request (no content-length, not chunked) or the method has none
  | { readonly kind: 'unread' }
  | { readonly kind: 'buffered'; readonly bytes: Buffer; readonly complete: boolean };

export interface UpstreamResult {
  readonly status: number;
  /** Time to the upstream's response headers. */
  readonly latencyMs: number;
  readonly error?: 'unreachable' | 'timeout' | 'aborted';
  /** Response headers the observe stage may look at (lower-case names). */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/** Per-request state threaded through the stages. Created by `accept`, finished by `record`. */
export interface RequestContext {
  /** Incident id: in every event about this request and in the problem+json a blocked client sees. */
  readonly id: string;
  readonly receivedAt: number;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly conn: ConnectionInfo;
  readonly method: string;
  /** Raw request target path, before decoding (no query string). */
  readonly path: string;
  /** Raw query string without the `?`, or '' when there is none. */
  readonly rawQuery: string;
  /** Present for `Upgrade:` requests (WebSocket): forward tunnels the socket instead of proxying a response. */
  readonly upgrade?: { readonly socket: Duplex; readonly head: Buffer };
  /** true when the gateway applies verdicts; false in monitor mode, where they are only recorded. */
  readonly enforce: boolean;

  clientIp: string;
  facets: Facet[];
  findings: Finding[];
  verdict: Verdict;
  /** An allow decision matched: inspection, profiling and policy are skipped for this request. */
  exempt: boolean;
  /** In monitor mode: the terminal verdict enforce mode would have applied. */
  wouldHave?: Verdict;
  body: BodyState;
  upstream?: UpstreamResult;
  /** Actor risk after `score`, for the access log and events. */
  risk?: number;
  /**
   * The behaviour engine's own per-request state (its view of the request, challenge standing), opaque to the
   * pipeline. A field rather than a WeakMap in the engine: a WeakMap entry per request is garbage-collector work.
   */
  behaviourState?: object;
  /** Status actually sent to the client (set by forward or by the responder of a terminal verdict). */
  responseStatus?: number;
  /** Stage durations in nanoseconds, for the pipeline-stage histogram. */
  readonly timings: Partial<Record<StageName, number>>;
  /** Free-form per-request notes from stages (e.g. `route`, `principalVerified`), copied into events. */
  readonly notes: Record<string, string | number | boolean>;
}
