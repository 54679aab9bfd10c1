import type * as net from 'node:net';
import type * as tls from 'node:tls';
import { Memo } from '../core/memo.ts';
import type { TlsFingerprint } from '../pipeline/context.ts';
import { parseClientHello } from './client-hello.ts';
import { keptHello, peekClientHellos } from './hello-peek.ts';
import { ja3FromText, ja3Text, ja4FromParts, ja4Parts } from './ja4.ts';

/**
 * JA4/JA3 for each TLS connection: hello-peek.ts takes the ClientHello's record off the raw socket before the
 * handshake and keeps its bytes; parsing and hashing wait for the first request that asks
 * (`tlsFingerprintOf`), so connections that never send one — TLS scanners — cost nothing more.
 */

export interface AttachOptions {
  /** Give up waiting for the first record after this long and let TLS handle the socket (its own timeout applies). */
  readonly peekTimeoutMs?: number;
}

/**
 * Distinct client stacks are few, so each hash is computed once per distinct input. JA4 and JA3 are remembered
 * apart: Chrome permutes its extensions per connection, so its JA3 text (ordered) is new almost every time while
 * its JA4 input (sorted) repeats; one key over both made every Chrome connection pay both SHA-256s again.
 */
const ja4s = new Memo<string>(10_000);
const ja3s = new Memo<string>(10_000);

export function fingerprintRecord(record: Buffer): TlsFingerprint | undefined {
  const hello = parseClientHello(record);
  if (hello === undefined) return undefined;
  const text = ja3Text(hello);
  const p = ja4Parts(hello);
  const raw = `${p.a}_${p.ciphers}_${p.extensions}_${p.sigAlgs}`;
  let ja4 = ja4s.peek(raw);
  if (ja4 === undefined) {
    ja4 = ja4FromParts(p);
    ja4s.set(raw, ja4);
  }
  let ja3 = ja3s.peek(text);
  if (ja3 === undefined) {
    ja3 = ja3FromText(text);
    ja3s.set(text, ja3);
  }
  return {
    ja4,
    ja3,
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
