/**
 * Identity's two performance targets, each against a baseline in the same run (style rule 15):
 *  1. µs per request the HTTP-path fingerprinting adds: httpFingerprint alone, and the whole sync `identify`
 *     (HTTP fingerprint, UA claim, claimed-vs-real checks, principal HMAC, actor links), median of batches over
 *     the recorded header sets of ten client stacks.
 *     Plus the first-request cost of a TLS fingerprint (the kept ClientHello record → JA4/JA3, parsed once per
 *     connection) over Chrome-like hellos (extension order permuted, GREASE drawn per connection) and fixed stacks.
 *  2. TLS handshakes/s of one HTTPS listener with and without ClientHello fingerprinting, two ways, both in this
 *     run and both against the same listener without fingerprinting:
 *     a. throughput rounds: the server in a child process, 8 concurrent full handshakes from here, rounds
 *        alternating ABBA ×3 so drift cancels. Wall-clock rates swing with whatever else the machine runs, so the
 *        ratio is the server's own CPU time per handshake (process.cpuUsage over the round): handshakes/s per
 *        server core, with vs without;
 *     b. interleaved: one server process with both listeners, a sequential client alternating between them
 *        connection by connection, server CPU from accept to close per connection (medians). Load from others
 *        hits both sides of every pair alike, so this one holds still on a busy machine.
 *     The interleaved child also reports which way hellos reached TLS (hello-peek.ts: 'direct' or 'queued').
 *     The certificate is P-256 by default (the cheapest handshake, so the peek weighs most); `rsa2048` for the
 *     common RSA certificate.
 *
 *   node --import tsx bench/identity-fingerprint.ts [secondsPerRound=2] [p256|rsa2048]
 */

import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { ManualClock } from '../src/core/clock.ts';
import { createActorGraph } from '../src/identity/actor-graph.ts';
import { identityConfigSchema } from '../src/identity/config.ts';
import { httpFingerprint } from '../src/identity/http-fingerprint.ts';
import { createIdentifier } from '../src/identity/identifier.ts';
import { helloPeekPath } from '../src/identity/hello-peek.ts';
import { attachTlsFingerprinting, fingerprintRecord } from '../src/identity/tls-fingerprint.ts';
import { buildClientHello, ext } from '../test/identity/hello-builder.ts';
import { fakeContext } from '../test/identity/fake-context.ts';
import { STACKS } from '../test/identity/stack-headers.ts';
import { selfSignedCert } from '../test/identity/tls-server.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function perCallUs(fn: (i: number) => void, batch = 20_000, batches = 25): number {
  for (let i = 0; i < batch; i++) fn(i); // warm-up: JIT and caches
  const results: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn(i);
    results.push(Number(process.hrtime.bigint() - t0) / 1e3 / batch);
  }
  return Number(median(results).toFixed(3));
}

function httpPath(): Record<string, number> {
  // Fresh string objects per request, as Node's parser produces: cached string hashes would flatter the lookups.
  const fresh = (h: readonly string[]) => h.map((x) => Buffer.from(x).toString());
  const stacks = Array.from({ length: 2000 }, (_, i) => fresh(Object.values(STACKS)[i % 10]!));
  const config = identityConfigSchema.parse({ hashSalt: 'bench-salt-bench-salt', goodBots: { enabled: false } });
  const identifier = createIdentifier(config, {
    dataDir: '/tmp',
    clock: new ManualClock(),
    links: createActorGraph(config),
  });
  const contexts = stacks.map((h) => fakeContext({ rawHeaders: [...h, 'X-Api-Key', fresh(['k-123'])[0]!] }));
  const hellos = helloMix(4000);
  return {
    tlsFirstRequestUs: perCallUs((i) => {
      fingerprintRecord(hellos[i % hellos.length]!);
    }, 4000),
    baselineLoopUs: perCallUs((i) => {
      const c = contexts[i % contexts.length]!;
      c.facets.length = 1;
    }),
    httpFingerprintUs: perCallUs((i) => {
      const h = stacks[i % stacks.length]!;
      httpFingerprint(h, '1.1');
    }),
    identifyUs: perCallUs((i) => {
      const c = contexts[i % contexts.length]!;
      c.facets.length = 1;
      c.findings.length = 0;
      identifier.identify(c);
    }),
  };
}

/** ClientHello records as a mix of clients sends them: Chrome permutes its extensions and draws GREASE anew. */
function helloMix(n: number): Buffer[] {
  const grease = () => 0x0a0a + 0x1010 * Math.floor(Math.random() * 16);
  const chromeCiphers = [4865, 4866, 4867, 49195, 49199, 49196, 49200, 52393, 52392, 49171, 49172, 156, 157, 47, 53];
  const sigAlgs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];
  const chromeExts = () => {
    const inner = [
      ext.sni('api.example.com'),
      ext.alpn('h2', 'http/1.1'),
      ext.versions(grease(), 0x0304, 0x0303),
      ext.sigAlgs(...sigAlgs),
      ext.groups(grease(), 4588, 29, 23, 24),
      ext.pointFormats(0),
      ...[45, 51, 65037, 23, 17613, 65281, 35, 18, 5, 27].map((t) => ext.empty(t)),
    ];
    for (let i = inner.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [inner[i], inner[j]] = [inner[j]!, inner[i]!];
    }
    return [ext.empty(grease()), ...inner, ext.empty(grease())];
  };
  // An OpenSSL-like and a Go-like stack: one fixed order each.
  const fixed = [
    buildClientHello({
      ciphers: [4866, 4867, 4865, 49196, 49200, 159, 52393, 52392, 52394, 49195],
      extensions: [
        ext.sni('api.example.com'),
        ext.groups(29, 23, 30),
        ext.pointFormats(0, 1, 2),
        ext.sigAlgs(...sigAlgs),
        ext.versions(0x0304, 0x0303),
        ...[22, 23, 49, 45, 51].map((t) => ext.empty(t)),
      ],
    }),
    buildClientHello({
      ciphers: [49195, 49199, 52393, 52392, 49196, 49200],
      extensions: [ext.alpn('http/1.1'), ext.groups(29, 23), ext.sigAlgs(...sigAlgs), ext.empty(65281)],
    }),
  ];
  return Array.from({ length: n }, (_, i) =>
    i % 4 === 3 ? fixed[i % 2]! : buildClientHello({ ciphers: [grease(), ...chromeCiphers], extensions: chromeExts() }),
  );
}

async function handshakes(port: number, ms: number, concurrency = 8): Promise<number> {
  let done = 0;
  const end = Date.now() + ms;
  const loop = async () => {
    while (Date.now() < end) {
      await new Promise<void>((resolve, reject) => {
        const s = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false, servername: 'localhost' });
        s.once('secureConnect', () => {
          done++;
          s.destroy();
          resolve();
        });
        s.once('error', reject);
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return (done * 1000) / ms;
}

function startServer(fingerprint: boolean, cert: { key: Buffer; cert: Buffer }): Promise<[ChildProcess, number]> {
  const child = fork(new URL(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PC_BENCH_SERVER: fingerprint ? 'with' : 'without' },
  });
  child.send({ key: cert.key.toString(), cert: cert.cert.toString() });
  return new Promise((resolve) => child.once('message', (port) => resolve([child, port as number])));
}

function certificate(kind: string): { key: Buffer; cert: Buffer } {
  if (kind === 'p256') return selfSignedCert();
  if (kind !== 'rsa2048') throw new Error(`certificate kind ${kind}: use p256 or rsa2048`);
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-rsa-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const pair = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  rmSync(dir, { recursive: true, force: true });
  return pair;
}

/** One sequential TLS connection: handshake, close, wait for the close. */
function connectOnce(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false, servername: 'localhost' });
    s.once('secureConnect', () => {
      s.end();
      s.once('close', () => resolve());
    });
    s.once('error', reject);
  });
}

/** 2b: both listeners in one child; the server reports CPU µs per connection, accept to close, for each. */
async function interleaved(cert: { key: Buffer; cert: Buffer }, pairs: number): Promise<Record<string, number | string>> {
  const child = fork(new URL(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PC_BENCH_SERVER: 'interleaved' },
  });
  child.send({ key: cert.key.toString(), cert: cert.cert.toString() });
  const [without, withFp] = await new Promise<[number, number]>((resolve) =>
    child.once('message', (ports) => resolve(ports as [number, number])),
  );
  for (let i = 0; i < 200; i++) await connectOnce(i % 2 ? without : withFp); // warm-up
  child.send('mark');
  for (let i = 0; i < pairs; i++) {
    // Alternate which side goes first, so neither always follows the other.
    const order = i % 2 ? [without, withFp] : [withFp, without];
    for (const port of order) await connectOnce(port);
  }
  const m = await new Promise<{ without: number; with: number; peekPath: string }>((resolve) => {
    child.once('message', (x) => resolve(x as { without: number; with: number; peekPath: string }));
    child.send('measure');
  });
  child.kill();
  return {
    cpuUsPerConnectionWithout: m.without,
    cpuUsPerConnectionWith: m.with,
    ratio: Number((m.without / m.with).toFixed(3)),
    pairs,
    peekPath: m.peekPath,
  };
}

if (process.env.PC_BENCH_SERVER === 'interleaved') {
  process.once('message', (cert: { key: string; cert: string }) => {
    let samples: Record<'with' | 'without', number[]> = { with: [], without: [] };
    const make = (side: 'with' | 'without') => {
      const server = https.createServer(cert, (_req, res) => res.end());
      if (side === 'with') attachTlsFingerprinting(server);
      // First listener on 'connection', so the TLS handler's own work is inside the measured span.
      server.prependListener('connection', (socket: Socket) => {
        const t0 = process.cpuUsage();
        socket.once('close', () => {
          const d = process.cpuUsage(t0);
          samples[side].push(d.user + d.system);
        });
      });
      return server;
    };
    const servers = [make('without'), make('with')];
    let listening = 0;
    for (const s of servers) {
      s.listen(0, '127.0.0.1', () => {
        if (++listening === 2) process.send!(servers.map((x) => (x.address() as AddressInfo).port));
      });
    }
    process.on('message', (m) => {
      if (m === 'mark') samples = { with: [], without: [] };
      if (m === 'measure') {
        process.send!({ without: median(samples.without), with: median(samples.with), peekPath: helloPeekPath() });
      }
    });
  });
} else if (process.env.PC_BENCH_SERVER !== undefined) {
  process.once('message', (cert: { key: string; cert: string }) => {
    const server = https.createServer(cert, (_req, res) => res.end());
    if (process.env.PC_BENCH_SERVER === 'with') attachTlsFingerprinting(server);
    let handshakes = 0;
    server.on('connection', () => handshakes++);
    server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
    let mark = { cpu: process.cpuUsage(), n: 0 };
    process.on('message', (m) => {
      if (m === 'mark') mark = { cpu: process.cpuUsage(), n: handshakes };
      if (m !== 'measure') return;
      const cpu = process.cpuUsage(mark.cpu);
      process.send!({ cpuUs: cpu.user + cpu.system, handshakes: handshakes - mark.n });
    });
  });
} else {
  const seconds = Number(process.argv[2] ?? 2);
  const certKind = process.argv[3] ?? 'p256';
  const http = httpPath();
  const cert = certificate(certKind);
  const rates: Record<'with' | 'without', number[]> = { with: [], without: [] };
  const perCore: Record<'with' | 'without', number[]> = { with: [], without: [] };
  // ABBA ABBA ABBA: each setting gets as many early and late rounds.
  for (const fp of [false, true, true, false, false, true, true, false, false, true, true, false]) {
    const [child, port] = await startServer(fp, cert);
    await handshakes(port, 500); // warm-up
    child.send('mark');
    rates[fp ? 'with' : 'without'].push(Math.round(await handshakes(port, seconds * 1000)));
    const m = await new Promise<{ cpuUs: number; handshakes: number }>((resolve) => {
      child.once('message', (x) => resolve(x as { cpuUs: number; handshakes: number }));
      child.send('measure');
    });
    perCore[fp ? 'with' : 'without'].push(Math.round((m.handshakes * 1e6) / m.cpuUs));
    child.kill();
  }
  const pairwise = await interleaved(cert, Math.max(500, Math.round(seconds * 750)));
  const withCore = median(perCore.with);
  const withoutCore = median(perCore.without);
  console.log(
    JSON.stringify({
      ...http,
      handshakesPerCoreSecWithout: withoutCore,
      handshakesPerCoreSecWith: withCore,
      certificate: certKind,
      handshakeRatio: Number((withCore / withoutCore).toFixed(3)),
      interleaved: pairwise,
      wallClockHandshakesPerSec: { without: median(rates.without), with: median(rates.with) },
      rounds: { perCore, wallClock: rates },
      node: process.version,
    }),
  );
}
