import type * as net from 'node:net';
import type * as tls from 'node:tls';
import { Memo } from '../core/memo.ts';
import type { TlsFingerprint } from '../pipeline/context.ts';
import { parseClientHello } from './client-hello.ts';
import { keptHello, peekClientHellos } from './hello-peek.ts';
import { ja3, ja3Text, ja4, ja4Parts } from './ja4.ts';

/**
 * JA4/JA3 for each TLS connection: hello-peek.ts takes the ClientHello's record off the raw socket before the
 * handshake and keeps its bytes; parsing and hashing wait for the first request that asks
 * (`tlsFingerprintOf`), so connections that never send one — TLS scanners — cost nothing more.
 */

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
  peekClientHellos(server, { timeoutMs: options.peekTimeoutMs ?? 10_000 });
}

/** The fingerprint of a TLS connection (the TLS socket a request came on, or its raw socket), parsed once. */
export function tlsFingerprintOf(socket: net.Socket | tls.TLSSocket): TlsFingerprint | undefined {
  const kept = keptHello(socket);
  if (kept === undefined) return undefined;
  const { record } = kept;
  if (record !== undefined) {
    kept.fingerprint = fingerprintRecord(Buffer.from(record.buffer, record.byteOffset, record.byteLength)) ?? null;
    kept.record = undefined;
  }
  return kept.fingerprint ?? undefined;
}
