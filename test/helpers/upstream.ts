import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/** What the test upstream saw of one request, for asserting forwarding fidelity. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawHeaders: string[];
  readonly bodyLength: number;
  readonly bodySha256: string;
  readonly aborted: boolean;
}

export interface TestUpstream {
  readonly url: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  /** TCP connections accepted so far (keep-alive means far fewer than requests). */
  connections(): number;
  /** Resolves when the upstream notices that a request for `url` it was serving was abandoned by the proxy. */
  nextAbort(url: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real HTTP server standing in for the protected API. Routes:
 *   /echo            answers JSON describing the request (method, url, headers, body length and hash)
 *   /status/:code    answers that status
 *   /stream          answers in 5 chunks 100 ms apart (chunked)
 *   /slow/:ms        waits before sending headers
 *   /hang            never answers (until the client goes away)
 *   /bytes/:n        answers n bytes of a known pattern
 *   WebSocket on any path: echoes messages prefixed with "echo:".
 */
export async function startTestUpstream(): Promise<TestUpstream> {
  const seen: SeenRequest[] = [];
  const abortWaiters: Array<{ url: string; resolve: (url: string) => void }> = [];
  const server: Server = createServer((req, res) => {
    const hash = createHash('sha256');
    let length = 0;
    let aborted = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      hash.update(chunk);
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        aborted = true;
        // Only the waiter for this URL: an earlier test's abandoned request may close late.
        const i = abortWaiters.findIndex((w) => w.url === req.url);
        if (i !== -1) abortWaiters.splice(i, 1)[0]!.resolve(req.url ?? '');
      }
    });
    req.on('end', () => {
      const record: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        bodyLength: length,
        bodySha256: hash.digest('hex'),
        aborted,
      };
      seen.push(record);
      const url = req.url ?? '/';
      const [, route, arg] = url.split('?')[0]!.split('/');
      if (route === 'status') {
        const code = Number(arg);
        res.writeHead(code, { 'x-upstream': 'yes' });
        res.end(code === 204 || code === 304 ? undefined : `status ${code}`);
      } else if (route === 'stream') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        let n = 0;
        const timer = setInterval(() => {
          res.write(`chunk ${n}\n`);
          if (++n === 5) {
            clearInterval(timer);
            res.end();
          }
        }, 100);
        res.on('close', () => clearInterval(timer));
      } else if (route === 'slow') {
        const t = setTimeout(() => res.end('late'), Number(arg));
        res.on('close', () => clearTimeout(t));
      } else if (route === 'hang') {
        // never answers
      } else if (route === 'bytes') {
        const n = Number(arg);
        const body = Buffer.alloc(n, 'abcdefghij');
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': n });
        res.end(body);
      } else {
        const text = JSON.stringify(record);
        res.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
          connection: 'keep-alive, x-upstream-hop',
          'x-upstream-hop': 'must not reach the client',
          'keep-alive': 'timeout=5',
        });
        res.end(text);
      }
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(`echo:${data.toString()}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    connections: () => connections,
    nextAbort: (url) => new Promise((resolve) => abortWaiters.push({ url, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
