import type { Server } from 'node:http';

/**
 * Graceful stop: refuse new connections, let in-flight requests finish, close idle keep-alive connections at
 * once, and after `timeoutMs` cut whatever is still open (a slow download must not hold a deploy hostage).
 */
export function drainServer(server: Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    // Connections busy at close become idle when their response ends; sweep them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    sweep.unref();
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
