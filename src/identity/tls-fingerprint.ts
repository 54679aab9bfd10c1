import type * as net from 'node:net';
import type * as tls from 'node:tls';
import type { TlsFingerprint } from '../pipeline/context.ts';
import { parseClientHello, tlsRecordLength } from './client-hello.ts';
import { ja3, ja3Text, ja4 } from './ja4.ts';

/**
 * Reads the ClientHello off each raw TCP socket before Node's TLS layer sees it, fingerprints it, then hands the
 * same bytes back (socket.unshift) and lets the server's own TLS connection handler run as if nothing happened.
 * The TLS socket Node builds drains the raw socket's buffered bytes into the TLS engine first, so the handshake
 * is byte-for-byte the client's. Parsing is synchronous (no promise per connection) because handshakes/s is a
 * target (≤ 5 % cost, bench/identity-fingerprint.ts).
 *
 *   raw socket ──data──► [peek first record] ──unshift──► tls 'connection' handler ──► TLSSocket ──► https
 *                             │ fingerprint
 *                             └──► WeakMap<raw socket> ──(secureConnection)──► WeakMap<TLSSocket>
 */

const byRawSocket = new WeakMap<net.Socket, TlsFingerprint>();
const bySecureSocket = new WeakMap<net.Socket, TlsFingerprint>();
const attached = new WeakSet<tls.Server>();

/** A ClientHello record is at most 5 + 2^14 + 2048 bytes (RFC 8446 §5.2 allows expansion); anything larger is not one. */
const MAX_RECORD = 5 + 16384 + 2048;

export interface AttachOptions {
  /** Give up waiting for the first record after this long and let TLS handle the socket (its own timeout applies). */
  readonly peekTimeoutMs?: number;
}

export function fingerprintRecord(record: Buffer): TlsFingerprint | undefined {
  const hello = parseClientHello(record);
  if (hello === undefined) return undefined;
  const text = ja3Text(hello);
  return {
    ja4: ja4(hello),
    ja3: ja3(hello),
    ja3Text: text,
    ...(hello.serverName === undefined ? {} : { serverName: hello.serverName }),
    ...(hello.alpn.length === 0 ? {} : { alpn: hello.alpn }),
  };
}

export function attachTlsFingerprinting(server: tls.Server, options: AttachOptions = {}): void {
  if (attached.has(server)) return;
  const [tlsListener] = server.listeners('connection') as ((socket: net.Socket) => void)[];
  if (tlsListener === undefined) throw new Error('attachTlsFingerprinting: the server has no TLS connection handler');
  attached.add(server);
  const peekTimeoutMs = options.peekTimeoutMs ?? 10_000;
  server.removeListener('connection', tlsListener);
  server.on('connection', (socket: net.Socket) => peek(socket, peekTimeoutMs, () => tlsListener.call(server, socket)));
  // Copy onto the TLS socket before https sees it, so the request handler's `req.socket` resolves directly.
  server.prependListener('secureConnection', (tlsSocket: tls.TLSSocket) => {
    const raw = parentOf(tlsSocket);
    const fp = raw === undefined ? undefined : byRawSocket.get(raw);
    if (fp !== undefined) bySecureSocket.set(tlsSocket, fp);
  });
}

export function tlsFingerprintOf(socket: net.Socket | tls.TLSSocket): TlsFingerprint | undefined {
  const direct = bySecureSocket.get(socket) ?? byRawSocket.get(socket);
  if (direct !== undefined) return direct;
  const raw = parentOf(socket);
  return raw === undefined ? undefined : byRawSocket.get(raw);
}

/** Node keeps the wrapped raw socket in the TLSSocket's `_parent` (lib/_tls_wrap.js); there is no public accessor. */
function parentOf(socket: net.Socket): net.Socket | undefined {
  const parent = (socket as unknown as { _parent?: unknown })._parent;
  return parent !== null && typeof parent === 'object' ? (parent as net.Socket) : undefined;
}

function peek(socket: net.Socket, timeoutMs: number, proceed: () => void): void {
  const chunks: Buffer[] = [];
  let have = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    socket.removeListener('data', onData);
    socket.removeListener('close', onClose);
    socket.removeListener('error', onClose);
    socket.pause();
    const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, have);
    const need = tlsRecordLength(head);
    if (need !== undefined && head.length >= need) {
      const fp = fingerprintRecord(head.subarray(0, need));
      if (fp !== undefined) byRawSocket.set(socket, fp);
    }
    if (have > 0) socket.unshift(head);
    proceed();
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    have += chunk.length;
    if (have < 5) return;
    const first = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, have);
    const need = tlsRecordLength(first);
    // Not TLS, complete, or absurd: stop peeking either way; TLS itself reports what is wrong.
    if (need === undefined || have >= need || need > MAX_RECORD) finish();
  };
  // A reset before the hello arrives would otherwise be an unhandled 'error' (TLS has not attached yet).
  const onClose = () => {
    done = true;
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(finish, timeoutMs);
  timer.unref();
  socket.on('data', onData);
  socket.once('close', onClose);
  socket.once('error', onClose);
}
