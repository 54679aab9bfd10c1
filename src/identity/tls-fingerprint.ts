import type * as net from 'node:net';
import type * as tls from 'node:tls';
import type { TlsFingerprint } from '../pipeline/context.ts';
import { parseClientHello, tlsRecordLength } from './client-hello.ts';
import { ja3, ja3Text, ja4, ja4Parts } from './ja4.ts';

/**
 * Reads the ClientHello off each raw TCP socket before Node's TLS layer sees it, fingerprints it, then hands the
 * same bytes back (socket.unshift) and lets the server's own TLS connection handler run as if nothing happened.
 * The TLS socket Node builds drains the raw socket's buffered bytes into the TLS engine first, so the handshake
 * is byte-for-byte the client's. Handshakes/s is a target (≤ 5 % cost, bench/identity-fingerprint.ts), so the
 * handshake path only copies the record; parsing and hashing wait for the first request that asks
 * (`tlsFingerprintOf`), and connections that never send one — TLS scanners — cost nothing more.
 *
 *   raw socket ──data──► [peek first record] ──unshift──► tls 'connection' handler ──► TLSSocket ──► https
 *                             │ copy of the record
 *                             └──► Hello { record → fp } in WeakMap<raw socket> ──(secureConnection)──► TLSSocket
 */

interface Hello {
  record: Buffer | undefined;
  fp: TlsFingerprint | undefined;
}

const byRawSocket = new WeakMap<net.Socket, Hello>();
const bySecureSocket = new WeakMap<net.Socket, Hello>();
const attached = new WeakSet<tls.Server>();

/** A ClientHello record is at most 5 + 2^14 + 2048 bytes (RFC 8446 §5.2 allows expansion); anything larger is not one. */
const MAX_RECORD = 5 + 16384 + 2048;

export interface AttachOptions {
  /** Give up waiting for the first record after this long and let TLS handle the socket (its own timeout applies). */
  readonly peekTimeoutMs?: number;
}

/** Distinct client stacks are few: hash each (JA4 raw, JA3 text) once. Emptied when full. */
const HASHES_MAX = 10_000;
const hashes = new Map<string, { ja4: string; ja3: string }>();

export function fingerprintRecord(record: Buffer): TlsFingerprint | undefined {
  const hello = parseClientHello(record);
  if (hello === undefined) return undefined;
  const text = ja3Text(hello);
  const p = ja4Parts(hello);
  const key = `${p.a}_${p.ciphers}_${p.extensions}_${p.sigAlgs}|${text}`;
  let hashed = hashes.get(key);
  if (hashed === undefined) {
    hashed = { ja4: ja4(hello), ja3: ja3(hello) };
    if (hashes.size >= HASHES_MAX) hashes.clear();
    hashes.set(key, hashed);
  }
  return {
    ja4: hashed.ja4,
    ja3: hashed.ja3,
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
    const hello = raw === undefined ? undefined : byRawSocket.get(raw);
    if (hello !== undefined) bySecureSocket.set(tlsSocket, hello);
  });
}

export function tlsFingerprintOf(socket: net.Socket | tls.TLSSocket): TlsFingerprint | undefined {
  let hello = bySecureSocket.get(socket) ?? byRawSocket.get(socket);
  if (hello === undefined) {
    const raw = parentOf(socket);
    hello = raw === undefined ? undefined : byRawSocket.get(raw);
  }
  if (hello === undefined) return undefined;
  if (hello.record !== undefined) {
    hello.fp = fingerprintRecord(hello.record);
    hello.record = undefined;
  }
  return hello.fp;
}

/** Node keeps the wrapped raw socket in the TLSSocket's `_parent` (lib/_tls_wrap.js); there is no public accessor. */
function parentOf(socket: net.Socket): net.Socket | undefined {
  const parent = (socket as unknown as { _parent?: unknown })._parent;
  return parent !== null && typeof parent === 'object' ? (parent as net.Socket) : undefined;
}

/**
 * Sockets still waiting for their first record, with their deadlines. One shared, unref'd sweep per second
 * instead of a timer per connection: a per-socket timer plus close/error listeners measured ~40 µs of server CPU
 * per connection, next to ~1 ms for the handshake itself.
 */
const waiting = new Map<net.Socket, { readonly deadline: number; readonly finish: () => void }>();
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  const now = Date.now();
  for (const [socket, w] of waiting) {
    if (socket.destroyed) waiting.delete(socket);
    else if (w.deadline <= now) w.finish();
  }
  if (waiting.size === 0 && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/** A reset before the hello arrives would otherwise be an unhandled 'error' (TLS has not attached yet). */
function destroyOnError(this: net.Socket): void {
  this.destroy();
}

function peek(socket: net.Socket, timeoutMs: number, proceed: () => void): void {
  let chunks: Buffer | Buffer[] | undefined;
  let have = 0;
  const finish = () => {
    if (!waiting.delete(socket)) return;
    socket.removeListener('data', onData);
    socket.removeListener('error', destroyOnError);
    socket.pause();
    if (chunks === undefined) return proceed();
    const head = Array.isArray(chunks) ? Buffer.concat(chunks, have) : chunks;
    const need = tlsRecordLength(head);
    if (need !== undefined && head.length >= need) {
      // A copy, so the socket's read buffer is not kept alive by the ~1.5 KB we need.
      byRawSocket.set(socket, { record: Buffer.from(head.subarray(0, need)), fp: undefined });
    }
    socket.unshift(head);
    proceed();
  };
  const onData = (chunk: Buffer) => {
    // Almost always the whole hello arrives in one chunk; only a split one is collected and concatenated.
    if (chunks === undefined) chunks = chunk;
    else if (Array.isArray(chunks)) chunks.push(chunk);
    else chunks = [chunks, chunk];
    have += chunk.length;
    if (have < 5) return;
    const need = tlsRecordLength(Array.isArray(chunks) ? Buffer.concat(chunks, have) : chunks);
    // Not TLS, complete, or absurd: stop peeking either way; TLS itself reports what is wrong.
    if (need === undefined || have >= need || need > MAX_RECORD) finish();
  };
  waiting.set(socket, { deadline: Date.now() + timeoutMs, finish });
  if (sweeper === undefined) {
    sweeper = setInterval(sweep, Math.min(1_000, timeoutMs));
    sweeper.unref();
  }
  socket.on('data', onData);
  socket.on('error', destroyOnError);
}
