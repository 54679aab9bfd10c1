import { createServer } from 'node:net';

/** A TCP port nobody listens on right now (bound and released), for "unreachable upstream" and fixed-port configs. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
