import type * as net from 'node:net';
import type * as tls from 'node:tls';
import { Memo } from '../core/memo.ts';
import type { TlsFingerprint } from '../pipeline/context.ts';
import { parseClientHello } from './client-hello.ts';
import { peekClientHellos } from './hello-peek.ts';
import { ja3, ja3Text, ja4, ja4Parts } from './ja4.ts';

/**
 * JA4/JA3 for each TLS connection: hello-peek.ts takes the ClientHello's record off the raw socket before the
 * handshake and we keep its bytes on the socket; parsing and hashing wait for the first request that asks
 * (`tlsFingerprintOf`), so connections that never send one — TLS scanners — cost nothing more.
 */

interface Hello {
  record: Buffer | undefined;
  fp: TlsFingerprint | undefined;
}

/** On the raw socket: cheaper than a WeakMap entry per connection, and it dies with the socket. */
const kHello = Symbol('portcullis.clientHello');
type WithHello = net.Socket & { [kHello]?: Hello };

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
  peekClientHellos(server, { timeoutMs: options.peekTimeoutMs ?? 10_000, onRecord: keepRecord });
}

function keepRecord(socket: net.Socket, record: Buffer): void {
  (socket as WithHello)[kHello] = { record, fp: undefined };
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
