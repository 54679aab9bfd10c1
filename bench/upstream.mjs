// The benchmark's upstream: answers every request at once with a small JSON body (about a typical API reply),
// reading and discarding any request body. Kept trivial so the proxy under test is what is measured.
import { createServer } from 'node:http';

const body = JSON.stringify({ id: 42, name: 'Compact Kettle', price: 19.99, tags: ['kitchen', 'steel'], stock: 7 });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
