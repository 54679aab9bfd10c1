import type * as net from 'node:net';
import * as tls from 'node:tls';
import type { TlsFingerprint } from '../pipeline/context.ts';

/**
 * Takes the first TLS record (the ClientHello) off each raw TCP socket of a TLS server before Node's TLS layer
 * sees it, then hands the socket and those bytes to the server's own TLS connection handler.
 *
 * Handshakes/s is a target (≤ 5 % cost, bench/identity-fingerprint.ts), so every µs here is measured. Without us
 * Node wraps the TCP handle in its C++ TLS engine straight away and no byte of the handshake passes through
 * JavaScript. We need the first read in JavaScript, and that one read is most of what the peek costs (~25–35 µs
 * of server CPU against ~430–1000 µs for a P-256 handshake on the bench VM): Node's JS read callback (a 64 KiB
 * read buffer, an ArrayBuffer, the call into JS) and our few µs. Letting the bytes then go through the socket's
 * Readable queue for TLS to drain (lib/_tls_wrap.js initRead) cost ~10 µs more, so we sit in front of Node's own
 * read callback for the first read only and hand the bytes to the TLS engine ourselves:
 *
 *   TCP handle ──onread──► [ours: keep a view of the chunk; not queued anywhere]
 *                               │ record complete (or not TLS, or time-out)
 *                               ▼
 *                 onread restored; the server's TLS handler builds the TLSSocket ──► its engine
 *                 (TLSWrap) gets our bytes by `receive`, as initRead would give it queued ones ──► handshake
 *
 * The handshake is byte-for-byte the client's. Two things are Node internals, so each has a way out:
 *  - `handle.onread` (lib/net.js initSocketHandle → lib/internal/stream_base_commons.js onStreamRead): where a
 *    socket has none, fingerprinting is off, with one warning, and TLS gets the socket untouched;
 *  - the chunk Node passes is exactly the bytes read (src/stream_base.cc EmitToJSStreamListener) and we can reach
 *    the TLSSocket the handler builds (a hook on TLSSocket.prototype._init, active only while we call the
 *    handler). The first connection of a process checks the former against Node's own reader; if either does
 *    not hold, every peek lets Node's reader queue the bytes instead (the ~10 µs dearer path), as before.
 */

export interface PeekOptions {
  /** Give up waiting for the first record after this long and let TLS handle the socket (its own timeout applies). */
  readonly timeoutMs: number;
}

/** What a connection's peek keeps for later: the record, then what was made of it (see keptHello). */
export interface KeptHello {
  record: Uint8Array | undefined;
  fingerprint: TlsFingerprint | null | undefined;
}

/** A ClientHello record is at most 5 + 2^14 + 2048 bytes (RFC 8446 §5.2 allows expansion); anything larger is not one. */
const MAX_RECORD = 5 + 16384 + 2048;

type OnRead = (this: PeekHandle, arrayBuffer?: unknown) => unknown;

/** Per server: whom to hand a socket to. */
interface Target {
  readonly server: tls.Server;
  readonly tlsListener: (socket: net.Socket) => void;
  readonly timeoutMs: number;
}

/**
 * One socket's peek, kept on its handle (under a symbol) so a single shared read callback serves every socket:
 * no closures per connection.
 */
interface Peek extends KeptHello {
  readonly socket: net.Socket;
  readonly handle: PeekHandle;
  readonly original: OnRead;
  readonly target: Target;
  /** The sweep tick at or after which the peek gives up. */
  readonly deadline: number;
  /** The bytes so far; Node's reader queued them on the socket too when `queued`. */
  head: Uint8Array | undefined;
  queued: boolean;
  /** Neighbours in the list of waiting peeks. */
  prev: Peek | undefined;
  next: Peek | undefined;
}
const kPeek = Symbol('portcullis.peek');
interface PeekHandle {
  onread: OnRead;
  [kPeek]?: Peek | undefined;
}

const attached = new WeakSet<tls.Server>();
let warned = false;

export function peekClientHellos(server: tls.Server, options: PeekOptions): void {
  if (attached.has(server)) return;
  const [tlsListener] = server.listeners('connection') as ((socket: net.Socket) => void)[];
  if (tlsListener === undefined) throw new Error('peekClientHellos: the server has no TLS connection handler');
  attached.add(server);
  installCapture();
  if (options.timeoutMs < sweepMs) {
    // Peeks already waiting may then be handed over early (unfingerprinted), never late.
    sweepMs = Math.max(10, options.timeoutMs);
    if (sweeper !== undefined) {
      clearInterval(sweeper);
      sweeper = setInterval(sweep, sweepMs);
      sweeper.unref();
    }
  }
  server.removeListener('connection', tlsListener);
  const target: Target = { server, tlsListener, timeoutMs: options.timeoutMs };
  server.on('connection', (socket: net.Socket) => peek(socket, target));
}

/**
 * Peeks still waiting for their first record, oldest first, as a list threaded through the peeks themselves (no
 * hashing per connection, and deadlines count sweeps, so no clock read either). One shared, unref'd sweep per second
 * hands a silent client to TLS at its deadline (TLS's own handshake time-out then applies) instead of a timer per
 * connection (more often when a server's time-out is under a second).
 */
let sweepMs = 1_000;
let first: Peek | undefined;
let last: Peek | undefined;
let tick = 0;
let sweeper: NodeJS.Timeout | undefined;

function enlist(p: Peek): void {
  p.prev = last;
  if (last === undefined) first = p;
  else last.next = p;
  last = p;
  if (sweeper === undefined) {
    sweeper = setInterval(sweep, sweepMs);
    sweeper.unref();
  }
}

/** False when the peek was no longer waiting. */
function delist(p: Peek): boolean {
  if (p.prev === undefined ? first !== p : p.prev.next !== p) return false;
  if (p.prev === undefined) first = p.next;
  else p.prev.next = p.next;
  if (p.next === undefined) last = p.prev;
  else p.next.prev = p.prev;
  p.prev = p.next = undefined;
  return true;
}

function sweep(): void {
  tick++;
  for (let p = first; p !== undefined; ) {
    const next = p.next;
    if (p.socket.destroyed) delist(p);
    else if (p.deadline <= tick) handOver(p);
    p = next;
  }
  if (first === undefined && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

function peek(socket: net.Socket, target: Target): void {
  const handle = (socket as unknown as { _handle?: Partial<PeekHandle> | null })._handle;
  const original = handle?.onread;
  if (handle == null || typeof original !== 'function') {
    if (socket.destroyed) return; // refused by an earlier 'connection' listener (per-IP limit): no handle left
    if (!warned) {
      warned = true;
      process.emitWarning(
        'TLS fingerprinting is off: this Node.js has no read callback on TCP handles to take the ClientHello ' +
          'from (handshakes proceed; requests carry no tls: facet). Run a supported Node.js (20 or 22).',
        { code: 'PC_WARN_IDENTITY_TLS_PEEK' },
      );
    }
    return target.tlsListener.call(target.server, socket);
  }
  const p: Peek = {
    socket,
    handle: handle as PeekHandle,
    original,
    target,
    // Never before timeoutMs, at most one sweep after it.
    deadline: tick + 1 + Math.ceil(target.timeoutMs / sweepMs),
    head: undefined,
    queued: direct !== true,
    prev: undefined,
    next: undefined,
    record: undefined,
    fingerprint: undefined,
  };
  handle[kPeek] = p;
  handle.onread = onHelloRead;
  enlist(p);
}

/**
 * The record kept for a connection: its TLS socket (whose engine keeps the TCP handle as `_parent`,
 * lib/_tls_wrap.js _wrapHandle) or its raw socket (the TCP handle is its `_handle`). Kept on the handle the peek
 * already sits on, so sockets keep their shape (no new property on each).
 */
export function keptHello(socket: net.Socket): KeptHello | undefined {
  const handle = (socket as unknown as { _handle?: { _parent?: unknown } | null })._handle;
  if (handle == null) return undefined;
  const tcp = (handle._parent ?? handle) as PeekHandle;
  return tcp[kPeek];
}

/**
 * Whether chunks may skip Node's reader: undefined until the first chunk of the process has been checked against
 * it (see the module comment).
 */
let direct: boolean | undefined;

/** Which way hellos reach TLS in this process: for the bench's report and the test that guards the fast path. */
export function helloPeekPath(): 'direct' | 'queued' | 'undecided' {
  return direct === undefined ? 'undecided' : direct ? 'direct' : 'queued';
}

/**
 * Stands in for Node's read callback (`this` is the handle) until the first record is in. Runs once per
 * connection between two handshakes' worth of crypto, i.e. with cold caches, so it does as little as it can: no
 * Buffer construction (a plain Uint8Array view), no copy unless the hello spans reads.
 */
function onHelloRead(this: PeekHandle, arrayBuffer?: unknown): unknown {
  const p = this[kPeek]!;
  if (!(arrayBuffer instanceof ArrayBuffer)) return endBeforeHello(this, p);
  if (p.queued) return readQueued(this, p, arrayBuffer);
  const head = p.head === undefined ? new Uint8Array(arrayBuffer) : joined(p.head, arrayBuffer);
  p.head = head;
  if (!waitsForMore(p, head)) handOver(p);
  return undefined;
}

/** The first connection of a process, or every one if the direct path does not hold: Node's reader queues. */
function readQueued(handle: PeekHandle, p: Peek, arrayBuffer: ArrayBuffer): unknown {
  const result = p.original.call(handle, arrayBuffer);
  const head = p.head === undefined ? new Uint8Array(arrayBuffer) : joined(p.head, arrayBuffer);
  p.head = head;
  if (head.length !== p.socket.readableLength) {
    // Someone else consumed bytes, or the chunk is not what was read: serve it unfingerprinted.
    if (direct === undefined) direct = false;
    p.head = undefined;
    handOver(p);
    return result;
  }
  if (direct === undefined) direct = capture !== undefined;
  if (!waitsForMore(p, head)) handOver(p);
  return result;
}

/** Reports the record once complete; true while more bytes are needed for it. */
function waitsForMore(p: Peek, head: Uint8Array): boolean {
  // RFC 8446 §5.1: type 22 (handshake), legacy_record_version 3.x, then a 2-byte length.
  if (head[0] !== 0x16 || (head.length > 1 && head[1] !== 0x03)) return false; // not TLS: TLS itself says so
  if (head.length < 5) return true;
  const need = 5 + ((head[3]! << 8) | head[4]!);
  if (head.length >= need) {
    p.record = head.length === need ? head : head.subarray(0, need);
    return false;
  }
  return need <= MAX_RECORD;
}

function joined(head: Uint8Array, arrayBuffer: ArrayBuffer): Uint8Array {
  const out = new Uint8Array(head.length + arrayBuffer.byteLength);
  out.set(head);
  out.set(new Uint8Array(arrayBuffer), head.length);
  return out;
}

/**
 * End of stream or a reset before any hello. Node's reader would emit 'error' on a socket nobody listens to yet
 * (TLS is not attached), so the connection simply ends here: there is nobody to serve.
 */
function endBeforeHello(handle: PeekHandle, p: Peek): undefined {
  delist(p);
  handle.onread = p.original;
  p.socket.destroy();
  return undefined;
}

/**
 * Restores Node's read callback and gives the socket, with any bytes we hold back, to the server's TLS handler.
 * The peek stays on the handle, where keptHello finds its record, and dies with it.
 */
function handOver(p: Peek): void {
  if (!delist(p)) return;
  p.handle.onread = p.original;
  const { server, tlsListener } = p.target;
  const head = p.head;
  if (p.queued || head === undefined) return tlsListener.call(server, p.socket);
  building = true;
  try {
    tlsListener.call(server, p.socket);
  } finally {
    building = false;
  }
  const engine = (built.socket as { _handle?: { receive?: (bytes: Uint8Array) => void } | null } | undefined)
    ?._handle;
  built.socket = undefined;
  // What initRead does with bytes it finds queued, one tick early: the TLS socket and its listeners are set up.
  if (typeof engine?.receive === 'function') engine.receive(head);
  else if (!p.socket.destroyed) p.socket.push(head); // no engine reachable: queue them for initRead after all
}

/**
 * The TLSSocket the server's handler builds is not returned to us; it is the `this` of TLSSocket.prototype._init,
 * which its constructor calls. One wrapper, installed once, records it while `building` is set (only inside
 * handOver), and is a plain pass-through otherwise.
 */
let capture: ((this: tls.TLSSocket, ...args: unknown[]) => unknown) | undefined;
let building = false;
const built: { socket?: tls.TLSSocket | undefined } = {};

function installCapture(): void {
  if (capture !== undefined) return;
  const proto = tls.TLSSocket.prototype as unknown as { _init?: unknown };
  const init = proto._init;
  if (typeof init !== 'function') return; // every peek then queues through Node's reader
  capture = function (this: tls.TLSSocket, ...args: unknown[]): unknown {
    if (building) built.socket = this;
    return init.apply(this, args);
  };
  proto._init = capture;
}
