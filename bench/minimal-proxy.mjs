// The floor every proxy case is compared with: node:http in front, an undici keep-alive pool behind,
// streaming both ways, no inspection, no logging. Whatever Portcullis adds is measured against this.
import { createServer } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

const pool = new Pool(process.env.UPSTREAM, { connections: 128 });
const server = createServer(async (req, res) => {
  try {
    const headers = { ...req.headers };
    delete headers.connection;
    delete headers['keep-alive'];
    delete headers['transfer-encoding'];
    delete headers.host;
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    const up = await pool.request({ path: req.url, method: req.method, headers, body: hasBody ? req : null });
    const out = { ...up.headers };
    delete out.connection;
    delete out['keep-alive'];
    delete out['transfer-encoding'];
    res.writeHead(up.statusCode, out);
    await pipeline(up.body, res);
  } catch {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
