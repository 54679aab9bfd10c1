import type * as net from 'node:net';
import type * as tls from 'node:tls';
import { Memo } from '../core/memo.ts';
import type { TlsFingerprint } from '../pipeline/context.ts';
import { parseClientHello, tlsRecordLength } from './client-hello.ts';
import { ja3, ja3Text, ja4, ja4Parts } from './ja4.ts';

/**
 * Reads the ClientHello off each raw TCP socket before Node's TLS layer sees it and keeps its bytes on the socket;
 * parsing and hashing wait for the first request that asks (`tlsFingerprintOf`), so connections that never send
 * one — TLS scanners — cost nothing more.
 *
 * Handshakes/s is a target (≤ 5 % cost, bench/identity-fingerprint.ts), and how the bytes are read decides it.
 * Reading them as a stream (a 'data' listener, then pause + unshift) cost ~55 µs of server CPU per connection
 * against ~450 µs for the whole handshake: flowing mode, the event, and unshift through the Readable machinery.
 * Instead we sit in front of Node's own read callback on the socket's handle for the first read only:
 *
 *   TCP handle ──onread──► [ours: Node's onStreamRead buffers the bytes in the socket; we keep a view of them]
 *                                │ record complete (or not TLS, or time-out)
 *                                ▼
 *                  onread restored; tls 'connection' handler ──► TLSSocket drains the buffered hello first
 *                                                                (lib/_tls_wrap.js initRead) ──► handshake
 *
 * Node itself still reads, buffers and hands over every byte, so the handshake is byte-for-byte the client's; we
 * only look. `handle.onread` is the documented-in-source hook net.Socket installs (lib/net.js initSocketHandle →
 * lib/internal/stream_base_commons.js onStreamRead); where a socket has none, it is handed to TLS unfingerprinted.
 */

interface Hello {
  record: Buffer | undefined;
  fp: TlsFingerprint | undefined;
}

/** On the raw socket: cheaper than a WeakMap entry per connection, and it dies with the socket. */
const kHello = Symbol('portcullis.clientHello');
type WithHello = net.Socket & { [kHello]?: Hello };
const attached = new WeakSet<tls.Server>();

/** A ClientHello record is at most 5 + 2^14 + 2048 bytes (RFC 8446 §5.2 allows expansion); anything larger is not one. */
const MAX_RECORD = 5 + 16384 + 2048;

export interface AttachOptions {
  /** Give up waiting for the first record after this long and let TLS handle the socket (its own timeout applies). */
  readonly peekTimeoutMs?: number;
}

/** Distinct client stacks are few: hash each (JA4 raw, JA3 text) once. */
const hashes = new Memo<{ ja4: string; ja3: string }>(10_000);

export function fingerprintRecord(record: Buffer): TlsFingerprint | undefined {
  const hello = parseClientHello(record);
  if (hello === undefined) return undefined;
  const text = ja3Text(hello);
  const p = ja4Parts(hello);
  const key = `${p.a}_${p.ciphers}_${p.extensions}_${p.sigAlgs}|${text}`;
  let hashed = hashes.peek(key);
  if (hashed === undefined) {
    hashed = { ja4: ja4(hello), ja3: ja3(hello) };
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
  const target: Target = { server, tlsListener, timeoutMs: peekTimeoutMs };
  server.on('connection', (socket: net.Socket) => peek(socket, target));
}

/** The fingerprint of a TLS connection (the TLS socket a request came on, or its raw socket). */
export function tlsFingerprintOf(socket: net.Socket | tls.TLSSocket): TlsFingerprint | undefined {
  const hello = (socket as WithHello)[kHello] ?? (parentOf(socket) as WithHello | undefined)?.[kHello];
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

/** Per server: whom to hand a socket to once its hello is in. */
interface Target {
  readonly server: tls.Server;
  readonly tlsListener: (socket: net.Socket) => void;
  readonly timeoutMs: number;
}

/**
 * One socket's peek, kept on its handle (under a symbol) so a single shared read callback serves every socket:
 * no closures per connection. Measured per connection, the bookkeeping is a few µs of the ~35 µs the peek costs.
 */
interface Peek {
  readonly socket: net.Socket;
  readonly handle: PeekHandle;
  readonly original: PeekHandle['onread'];
  readonly target: Target;
  readonly deadline: number;
  head: Buffer | undefined;
}
const kPeek = Symbol('portcullis.peek');
interface PeekHandle {
  onread: (this: PeekHandle, arrayBuffer?: unknown) => unknown;
  [kPeek]?: Peek | undefined;
}

/**
 * Peeks still waiting for their first record. One shared, unref'd sweep per second hands a silent client to TLS
 * at its deadline (TLS's own handshake time-out then applies) instead of a timer per connection.
 */
const waiting = new Set<Peek>();
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  const now = Date.now();
  for (const p of waiting) {
    if (p.socket.destroyed) waiting.delete(p);
    else if (p.deadline <= now) finish(p);
  }
  if (waiting.size === 0 && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

function peek(socket: net.Socket, target: Target): void {
  if (socket.destroyed) return; // refused by an earlier 'connection' listener (per-IP limit)
  const handle = (socket as unknown as { _handle?: Partial<PeekHandle> | null })._handle;
  const original = handle?.onread;
  if (handle == null || typeof original !== 'function') return target.tlsListener.call(target.server, socket);
  const p: Peek = {
    socket,
    handle: handle as PeekHandle,
    original,
    target,
    deadline: Date.now() + target.timeoutMs,
    head: undefined,
  };
  handle[kPeek] = p;
  handle.onread = onHelloRead;
  waiting.add(p);
  if (sweeper === undefined) {
    sweeper = setInterval(sweep, Math.min(1_000, target.timeoutMs));
    sweeper.unref();
  }
}

function finish(p: Peek): void {
  if (!waiting.delete(p)) return;
  p.handle.onread = p.original;
  p.handle[kPeek] = undefined;
  p.target.tlsListener.call(p.target.server, p.socket);
}

/** Stands in for Node's read callback (`this` is the handle) until the first record is in. */
function onHelloRead(this: PeekHandle, arrayBuffer?: unknown): unknown {
  const p = this[kPeek]!;
  const { socket } = p;
  if (!(arrayBuffer instanceof ArrayBuffer)) {
    // End of stream or a reset before any hello. Node's reader would emit 'error' on a socket nobody listens
    // to yet (TLS is not attached), so the connection simply ends here: there is nobody to serve.
    waiting.delete(p);
    this.onread = p.original;
    this[kPeek] = undefined;
    socket.destroy();
    return undefined;
  }
  // Node's reader queues the bytes on the socket, where the TLS socket built in finish() drains them first.
  const result = p.original.call(this, arrayBuffer);
  // stream_base.cc hands JS a buffer of exactly the bytes read, so this is a view of what was just queued.
  const chunk = Buffer.from(arrayBuffer);
  const head = p.head === undefined ? chunk : Buffer.concat([p.head, chunk]);
  p.head = head;
  if (head.length !== socket.readableLength) {
    finish(p); // someone else consumed bytes, or the contract above changed: serve it unfingerprinted
    return result;
  }
  if (head.length < 5) return result;
  const need = tlsRecordLength(head);
  if (need !== undefined && head.length >= need) {
    (socket as WithHello)[kHello] = { record: head.length === need ? head : head.subarray(0, need), fp: undefined };
  }
  // Not TLS, complete, or absurd: stop peeking either way; TLS itself reports what is wrong.
  if (need === undefined || head.length >= need || need > MAX_RECORD) finish(p);
  return result;
}
