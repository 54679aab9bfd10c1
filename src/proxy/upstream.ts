import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { errors, Pool } from 'undici';
import type { RequestContext } from '../pipeline/context.ts';
import { type ForwardedInfo, requestHeadersForUpstream, responseHeadersForClient } from './headers.ts';
import { sendProblem } from './problem.ts';

export interface UpstreamOptions {
  readonly url: string;
  readonly connections: number;
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly maxBodyBytes: number;
}

export type UpstreamFailure = 'unreachable' | 'timeout' | 'aborted' | 'too-large';

class BodyTooLarge extends Error {}

/** Undici error codes that mean "no answer in time" (504) rather than "could not reach" (502). */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function failureOf(error: unknown, clientGone: boolean): UpstreamFailure {
  if (error instanceof BodyTooLarge) return 'too-large';
  if (clientGone) return 'aborted';
  const code = (error as { code?: string }).code;
  if (code !== undefined && TIMEOUT_CODES.has(code)) return 'timeout';
  if (error instanceof errors.RequestAbortedError) return 'aborted';
  return 'unreachable';
}

/** The rest of the client's body after what inspection already read, counted against the body limit. */
async function* bodyStream(req: IncomingMessage, prefix: Buffer | undefined, max: number): AsyncGenerator<Buffer> {
  let size = 0;
  if (prefix !== undefined) {
    size = prefix.length;
    if (size > max) throw new BodyTooLarge();
    yield prefix;
  }
  if (req.readableEnded) return;
  // No resume() here: a flowing stream with no 'data' listener drops chunks; the iterator pulls them itself.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new BodyTooLarge();
    yield chunk;
  }
}

/**
 * Streams the upstream's body to the client. Plain `pipe` rather than `stream.pipeline`: pipeline builds and
 * aborts an AbortController per call (a DOMException each time), measured at ~4 % of a proxied GET. A client that
 * goes away aborts the upstream request, which errors the body and settles this promise.
 */
function relay(body: Readable, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    body.once('error', reject);
    res.once('finish', resolve);
    body.pipe(res);
  });
}

/**
 * The upstream side of the proxy: one undici keep-alive pool to the configured origin. Bodies stream both ways;
 * nothing is buffered beyond what inspection already read. A client that goes away aborts the upstream request.
 */
export class Upstream {
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #origin: string;
  readonly #host: string;
  readonly #options: UpstreamOptions;

  constructor(options: UpstreamOptions) {
    const url = new URL(options.url);
    this.#options = options;
    this.#origin = url.origin;
    this.#host = url.host;
    this.#basePath = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
    this.#pool = new Pool(url.origin, {
      connections: options.connections,
      connectTimeout: options.connectTimeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      keepAliveTimeout: 4_000,
    });
  }

  get origin(): string {
    return this.#origin;
  }

  get host(): string {
    return this.#host;
  }

  get basePath(): string {
    return this.#basePath;
  }

  /** Forwards the request and streams the answer to the client; returns the failure, if any, for the caller to map. */
  async forward(ctx: RequestContext, fwd: ForwardedInfo): Promise<UpstreamFailure | undefined> {
    const { req, res } = ctx;
    // undici accepts an EventEmitter that emits 'abort' as its signal: cheaper than an AbortController per request.
    const signal = new EventEmitter();
    let clientGone = false;
    const onClose = () => {
      if (!res.writableFinished) {
        clientGone = true;
        signal.emit('abort');
      }
    };
    res.once('close', onClose);
    const headers = requestHeadersForUpstream(req.headers, fwd);
    // undici refuses Expect (Node already answered 100-continue to the client for us).
    delete headers.expect;
    headers.host = this.#host;
    const body = ctx.body;
    let payload: Buffer | Readable | null = null;
    if (body.kind === 'buffered' && body.complete) payload = body.bytes;
    // Declared length was checked against the limit at accept, and Node's parser holds the client to it.
    else if (body.kind === 'unread' && req.headers['content-length'] !== undefined) payload = req;
    else if (body.kind !== 'none') {
      const prefix = body.kind === 'buffered' ? body.bytes : undefined;
      payload = Readable.from(bodyStream(req, prefix, this.#options.maxBodyBytes), { objectMode: false });
    }
    const started = performance.now();
    try {
      const answer = await this.#pool.request({
        path: this.#basePath + (req.url ?? '/'),
        method: req.method as 'GET',
        headers,
        body: payload,
        signal,
      });
      ctx.upstream = { status: answer.statusCode, latencyMs: performance.now() - started, headers: answer.headers };
      res.writeHead(answer.statusCode, responseHeadersForClient(answer.headers));
      ctx.responseStatus = answer.statusCode;
      await relay(answer.body, res);
      return undefined;
    } catch (error) {
      const failure = failureOf(error, clientGone);
      ctx.upstream ??= {
        status: 0,
        latencyMs: performance.now() - started,
        error: failure === 'too-large' ? 'aborted' : failure,
      };
      if (failure === 'aborted') {
        if (!res.headersSent) res.destroy();
        return failure;
      }
      const status = failure === 'too-large' ? 413 : failure === 'timeout' ? 504 : 502;
      if (res.headersSent) {
        // The answer had started: the only honest signal left is to cut the connection.
        res.destroy();
      } else {
        ctx.responseStatus = status;
        sendProblem(res, status, ctx.id, failure === 'too-large' ? { connection: 'close' } : undefined);
      }
      return failure;
    } finally {
      res.off('close', onClose);
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
