import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { isPortcullisError } from '../core/errors.ts';
import { adminProblem } from './problem.ts';
import type { AdminRequest, AdminResponse, HttpMethod } from './route.ts';
import type { AdminRouter } from './router.ts';
import { createTokenCheck } from './token.ts';

export interface AdminServerOptions {
  readonly router: AdminRouter;
  readonly token: string;
  readonly registry: Registry;
  readonly maxBodyBytes: number;
  /** false until the gateway is ready to serve; /healthz answers 503 until then and while draining. */
  readonly isReady: () => boolean;
  readonly onError?: (error: unknown) => void;
}

const STATUS_OF_CODE: Record<string, number> = {
  PC_ERR_ADMIN_BAD_REQUEST: 400,
  PC_ERR_ADMIN_TOO_LARGE: 413,
  PC_ERR_ADMIN_NOT_FOUND: 404,
};

function readAll(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(Object.assign(new Error(`body of ${declared} bytes exceeds ${limit}`), { tooLarge: true }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.destroy();
        reject(Object.assign(new Error(`body exceeds ${limit} bytes`), { tooLarge: true }));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: AdminResponse): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...answer.headers };
  if ('json' in answer) {
    const body = JSON.stringify(answer.json);
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      ...headers,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  } else if ('text' in answer) {
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain; charset=utf-8', ...headers });
    res.end(answer.text);
  } else {
    res.writeHead(answer.status, { 'content-type': answer.contentType, ...headers });
    answer.stream.on('error', () => res.destroy());
    answer.stream.pipe(res);
  }
}

/**
 * The control-plane listener: /healthz and /metrics open (both are read-only and expected by orchestrators and
 * Prometheus), everything under /api/ behind the bearer token.
 */
export function createAdminServer(options: AdminServerOptions): Server {
  const check = createTokenCheck(options.token);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://admin');
    const path = url.pathname;
    if (path === '/healthz' && req.method === 'GET') {
      const ready = options.isReady();
      send(res, { status: ready ? 200 : 503, json: { status: ready ? 'ok' : 'starting or draining' } });
      return;
    }
    if (path === '/metrics' && req.method === 'GET') {
      send(res, { status: 200, text: await options.registry.metrics(), contentType: options.registry.contentType });
      return;
    }
    if (!path.startsWith('/api/')) {
      send(
        res,
        adminProblem(404, 'PC_ERR_ADMIN_NOT_FOUND', `no admin endpoint at ${path}; the API lives under /api/v1/`),
      );
      return;
    }
    if (!check(req.headers.authorization)) {
      send(res, {
        ...adminProblem(
          401,
          'PC_ERR_ADMIN_AUTH',
          'send Authorization: Bearer <token>; the token is in PORTCULLIS_ADMIN_TOKEN or <data-dir>/admin-token',
        ),
        headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer realm="portcullis-admin"' },
      });
      return;
    }
    const match = options.router.match(req.method ?? 'GET', path);
    if (match.kind === 'not-found') {
      send(
        res,
        adminProblem(404, 'PC_ERR_ADMIN_NOT_FOUND', `no route ${req.method} ${path}; GET /api/v1/routes lists them`),
      );
      return;
    }
    if (match.kind === 'method-not-allowed') {
      send(res, {
        ...adminProblem(405, 'PC_ERR_ADMIN_NOT_FOUND', `${path} accepts ${match.allowed.join(', ')}`),
        headers: { allow: match.allowed.join(', '), 'content-type': 'application/problem+json' },
      });
      return;
    }
    const by = req.headers['x-portcullis-actor'];
    const actor = `admin-token@${req.socket.remoteAddress ?? '?'}${typeof by === 'string' && /^[\w.@-]{1,64}$/.test(by) ? `:${by}` : ''}`;
    const body = (limit = options.maxBodyBytes) => readAll(req, limit);
    const request: AdminRequest = {
      method: req.method as HttpMethod,
      path,
      params: match.params,
      query: url.searchParams,
      headers: req.headers,
      actor,
      raw: req,
      body,
      json: async (limit) => {
        const bytes = await body(limit);
        try {
          return JSON.parse(bytes.toString('utf8')) as unknown;
        } catch {
          throw Object.assign(new Error('the body is not valid JSON'), { badRequest: true });
        }
      },
    };
    send(res, await match.route.handler(request));
  }

  // Bulk imports stream up to decisions.importMaxBytes; Node's default 300 s request time-out would cut a large
  // one mid-upload. Headers still have to arrive promptly (slowloris), and idle keep-alive ends quickly.
  return createServer({ requestTimeout: 3_600_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const e = error as { tooLarge?: boolean; badRequest?: boolean; message?: string };
      if (e.tooLarge)
        send(
          res,
          adminProblem(413, 'PC_ERR_ADMIN_TOO_LARGE', `${e.message}; split the request or raise admin.maxBodyBytes`),
        );
      else if (e.badRequest) send(res, adminProblem(400, 'PC_ERR_ADMIN_BAD_REQUEST', e.message ?? 'bad request'));
      else if (isPortcullisError(error) && STATUS_OF_CODE[error.code] !== undefined) {
        send(res, adminProblem(STATUS_OF_CODE[error.code]!, error.code, error.message));
      } else {
        options.onError?.(error);
        send(
          res,
          adminProblem(500, 'PC_ERR_ADMIN_INTERNAL', 'the admin API hit an unexpected error; it is in the gateway log'),
        );
      }
    });
  });
}
