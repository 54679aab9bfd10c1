import type { IncomingHttpHeaders } from 'node:http';

/**
 * Hop-by-hop headers describe one connection, not the message, so a proxy must not forward them
 * (RFC 9110 §7.6.1): Connection, the names Connection lists, and the classic set below.
 * Proxy-Authorization is also consumed by the hop it is meant for.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

function connectionListed(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  const names = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && s !== 'close' && s !== 'keep-alive');
  return names.length > 0 ? new Set(names) : undefined;
}

export interface ForwardedInfo {
  readonly peer: string;
  readonly proto: 'http' | 'https';
  readonly host: string | undefined;
  /** The peer is a trusted proxy, so X-Forwarded-Proto/-Host it sent are kept. */
  readonly peerTrusted: boolean;
}

/**
 * Headers sent upstream: end-to-end headers as received, plus X-Forwarded-For with the peer appended (the
 * de-facto convention nginx and HAProxy follow). X-Forwarded-Proto and -Host from an untrusted peer are replaced,
 * since a client could otherwise make the API believe it was reached over TLS or on another host.
 */
export function requestHeadersForUpstream(
  incoming: IncomingHttpHeaders,
  fwd: ForwardedInfo,
  keepUpgrade = false,
): Record<string, string | string[]> {
  const listed = connectionListed(incoming.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined) continue;
    if (HOP_BY_HOP.has(name) || listed?.has(name)) continue;
    out[name] = value;
  }
  const xff = incoming['x-forwarded-for'];
  out['x-forwarded-for'] = xff === undefined ? fwd.peer : `${Array.isArray(xff) ? xff.join(', ') : xff}, ${fwd.peer}`;
  if (!fwd.peerTrusted || out['x-forwarded-proto'] === undefined) out['x-forwarded-proto'] = fwd.proto;
  if (fwd.host !== undefined && (!fwd.peerTrusted || out['x-forwarded-host'] === undefined))
    out['x-forwarded-host'] = fwd.host;
  if (keepUpgrade && incoming.upgrade !== undefined) {
    out.connection = 'upgrade';
    out.upgrade = incoming.upgrade;
  }
  return out;
}

/** Response headers sent to the client, without the upstream connection's hop-by-hop headers. */
export function responseHeadersForClient(
  upstream: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const listed = connectionListed(upstream.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || name === 'host') continue;
    if (HOP_BY_HOP.has(name) || listed?.has(name)) continue;
    out[name] = value;
  }
  return out;
}
