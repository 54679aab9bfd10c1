import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../src/config/full-schema.ts';
import type { Finding } from '../src/core/finding.ts';
import type { DetectionConfig } from '../src/detection/config.ts';
import { loadRuleset } from '../src/detection/ruleset.ts';
import type { PortcullisEvent } from '../src/events/event.ts';
import { startGateway } from '../src/gateway.ts';
import type { CorpusCase } from './corpus-case.ts';
import type { Outcome } from './eval-corpus.ts';

/** A finding the eval adds when the gateway's HTTP parser refused the request before any stage ran. */
const REJECTED: Finding = {
  ruleId: 'http.rejected',
  category: 'protocol',
  severity: 'critical',
  explanation: 'The gateway answered 400 before inspection: the request is not valid HTTP/1.1.',
};

async function startEchoUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * The request written byte for byte on a raw socket, so malformed paths, odd methods and duplicate headers reach
 * the gateway as the corpus wrote them (an HTTP client library would normalise or refuse them). Content-Length is
 * recomputed unless the case sends its own Transfer-Encoding.
 */
function rawRequest(c: CorpusCase): Buffer {
  const r = c.request;
  const body = Buffer.from(r.body ?? '', 'utf8');
  const headers = Object.entries(r.headers ?? {}).filter(([k]) => !/^content-length$/i.test(k));
  // The case's own Connection header is kept (CRS tests duplicated tokens in it); the socket is half-closed after
  // the request either way, so the gateway closes it once it has answered.
  const hasConnection = headers.some(([k]) => k.toLowerCase() === 'connection');
  const chunked = headers.some(([k, v]) => k.toLowerCase() === 'transfer-encoding' && /chunked/i.test(String(v)));
  let head = `${r.method || 'GET'} ${r.path || '/'}${r.query ? `?${r.query}` : ''} HTTP/1.1\r\n`;
  for (const [k, v] of headers) head += `${k}: ${String(v).replace(/[\r\n]/g, ' ')}\r\n`;
  if (!chunked && (body.length > 0 || /^(POST|PUT|PATCH)$/i.test(r.method)))
    head += `Content-Length: ${body.length}\r\n`;
  head += hasConnection ? '\r\n' : 'Connection: close\r\n\r\n';
  // Characters up to U+00FF are the corpus's raw bytes; anything above can only have been sent as UTF-8.
  // (Writing `你好` as latin-1 keeps each character's low byte: control bytes the HTTP parser rightly refuses.)
  return Buffer.concat([Buffer.from(head, /[^\u0000-\u00ff]/.test(head) ? 'utf8' : 'latin1'), body]);
}

/**
 * Each case connects from its own loopback address (127.0.0.0/8 is all loopback on Linux): the gateway samples the
 * events of let-through requests per client (src/events/sampler.ts), so from one address most non-blocking
 * findings would never reach the replay. The request bytes stay exactly as the corpus wrote them.
 */
function clientAddress(i: number): string {
  const n = (i % 0xfffffe) + 1;
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255 || 1}`;
}

function send(port: number, bytes: Buffer, from: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from });
    let first = '';
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (d: Buffer) => {
      if (first.length < 16) first += d.toString('latin1', 0, Math.min(d.length, 16));
    });
    socket.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(first)?.[1] ?? 0)));
    socket.on('error', () => {});
    socket.end(bytes);
  });
}

/**
 * Replays cases as real HTTP requests through a real gateway (src/gateway.ts) in monitor mode with behaviour
 * disabled, in front of an echo upstream. Findings are read from the gateway's request events and matched to
 * their case by client address (each case connects from its own): the record stage may publish an event after
 * the client has seen the connection close, so "the event in flight" would credit some findings to the next case.
 * Events carry findings of severity low and up; `info` findings go to metrics only and are not seen here.
 */
export async function replayThroughGateway(cases: CorpusCase[], detection: DetectionConfig): Promise<Outcome[]> {
  const upstream = await startEchoUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-eval-'));
  const config = configSchema.parse({
    listen: '127.0.0.1:0',
    admin: { listen: '127.0.0.1:0' },
    upstream: { url: upstream.url },
    dataDir,
    mode: 'monitor',
    // Behaviour and identity off: this measures attack detection, not per-client profiling.
    disable: ['behaviour', 'identity'],
    logging: { level: 'silent', access: false },
    detection,
  });
  const gateway = await startGateway(config, { logDestination: { write: () => {} } });
  const families = new Set([...loadRuleset().categories, 'inspection']);
  const port = Number(new URL(gateway.url).port);
  const byClient = new Map<string, Finding[]>();
  const unsubscribe = gateway.events.subscribe((e: PortcullisEvent) => {
    if (e.type !== 'request') return;
    const list = byClient.get(e.clientIp) ?? [];
    list.push(...e.findings.filter((f) => families.has(f.category)));
    byClient.set(e.clientIp, list);
  });
  const outcomes: Outcome[] = [];
  try {
    const statuses: number[] = [];
    for (const [i, c] of cases.entries()) statuses.push(await send(port, rawRequest(c), clientAddress(i)));
    await new Promise((r) => setTimeout(r, 200));
    for (const [i, status] of statuses.entries()) {
      const found = byClient.get(clientAddress(i)) ?? [];
      outcomes.push({ findings: status === 400 && found.length === 0 ? [REJECTED] : found });
    }
  } finally {
    unsubscribe();
    await gateway.close();
    await new Promise((r) => upstream.server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  return outcomes;
}
