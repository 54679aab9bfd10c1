import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { hashPassword, PRODUCTS, USERS } from './data.ts';

/**
 * The bundled demo API: a small shop used by `npm start`, the end-to-end tests and the simulator.
 * Routes: POST /api/login, GET /api/products[?page=&q=], GET /api/products/:id, GET /api/users/:id (token),
 * GET|POST /api/orders (token), GET /api/orders/:id (token), GET /api/search?q=, POST /api/echo, GET /healthz.
 * It is deliberately ordinary: no protection of its own, so what Portcullis stops is visible.
 */
interface Order {
  readonly id: number;
  readonly userId: number;
  readonly productId: number;
  readonly quantity: number;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1_048_576) chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const type = req.headers['content-type'] ?? '';
      try {
        if (type.includes('application/x-www-form-urlencoded')) resolve(Object.fromEntries(new URLSearchParams(text)));
        else resolve(JSON.parse(text) as Record<string, unknown>);
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', () => resolve(undefined));
  });
}

export function createDemoApi(): Server {
  const sessions = new Map<string, number>();
  const orders: Order[] = [];
  const byName = new Map(USERS.map((u) => [u.username, u]));

  const userOf = (req: IncomingMessage): number | undefined => {
    const auth = req.headers.authorization;
    return auth?.startsWith('Bearer ') ? sessions.get(auth.slice(7)) : undefined;
  };

  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    if (url.pathname === '/healthz') return json(res, 200, { status: 'ok' });
    if (parts[0] !== 'api') return json(res, 404, { error: 'not found' });
    const [, resource, id] = parts;

    if (resource === 'login' && method === 'POST') {
      const body = await readJson(req);
      const user = typeof body?.username === 'string' ? byName.get(body.username) : undefined;
      if (
        user === undefined ||
        typeof body?.password !== 'string' ||
        hashPassword(body.password) !== user.passwordHash
      ) {
        return json(res, 401, { error: 'invalid username or password' });
      }
      const token = randomBytes(16).toString('hex');
      sessions.set(token, user.id);
      return json(res, 200, { token, userId: user.id });
    }
    if (resource === 'products' && method === 'GET') {
      if (id !== undefined) {
        const product = PRODUCTS[Number(id) - 1];
        return product ? json(res, 200, product) : json(res, 404, { error: 'no such product' });
      }
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const hits = q ? PRODUCTS.filter((p) => p.name.toLowerCase().includes(q)) : PRODUCTS;
      return json(res, 200, { page, total: hits.length, items: hits.slice((page - 1) * 20, page * 20) });
    }
    if (resource === 'search' && method === 'GET') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      return json(res, 200, { q, items: PRODUCTS.filter((p) => p.name.toLowerCase().includes(q)).slice(0, 20) });
    }
    if (resource === 'echo' && method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      return json(res, 200, { bytes: Buffer.concat(chunks).length });
    }
    const userId = userOf(req);
    if (resource === 'users' && method === 'GET' && id !== undefined) {
      if (userId === undefined) return json(res, 401, { error: 'log in first' });
      const user = USERS[Number(id) - 1];
      // Deliberately no ownership check (a BOLA bug), so Portcullis' id-walk detection has something to stop.
      return user
        ? json(res, 200, { id: user.id, username: user.username, email: user.email, name: user.name })
        : json(res, 404, { error: 'no such user' });
    }
    if (resource === 'orders') {
      if (userId === undefined) return json(res, 401, { error: 'log in first' });
      if (method === 'POST') {
        const body = await readJson(req);
        const productId = Number(body?.productId);
        if (!PRODUCTS[productId - 1]) return json(res, 400, { error: 'productId must name a product' });
        const order = { id: orders.length + 1, userId, productId, quantity: Number(body?.quantity ?? 1) || 1 };
        orders.push(order);
        return json(res, 201, order);
      }
      if (id !== undefined) {
        const order = orders[Number(id) - 1];
        return order ? json(res, 200, order) : json(res, 404, { error: 'no such order' });
      }
      return json(res, 200, { items: orders.filter((o) => o.userId === userId) });
    }
    return json(res, 404, { error: 'not found' });
  });
}

export function startDemoApi(
  host = '127.0.0.1',
  port = 3000,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createDemoApi();
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        server,
        url: `http://${host}:${bound}`,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}
