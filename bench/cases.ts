import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { request as undiciRequest } from 'undici';
import { type BenchCase, compiledGateway, GET, POST, ROOT, spawnPinned, stopChild } from './harness.ts';

/** The proxy under test runs on core 0; the upstream and the load generator share core 1. */
export const PROXY_CORE = 0;

export const direct: BenchCase = {
  name: 'direct',
  description: 'load generator straight to the upstream (no proxy): the ceiling',
  start: async (upstreamUrl) => ({ url: upstreamUrl, stop: async () => {} }),
};

export const minimalProxy: BenchCase = {
  name: 'minimal-proxy',
  description: 'node:http + undici pool, no inspection, no logging: the floor every ratio is taken against',
  async start(upstreamUrl) {
    const { child, port } = await spawnPinned(PROXY_CORE, ['bench/minimal-proxy.mjs'], { UPSTREAM: upstreamUrl });
    return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
  },
};

/** Extra Node.js flags for every gateway a case starts (bench/profile.ts adds the CPU profiler). */
const gatewayNodeArgs: string[] = [];
export function addGatewayNodeArgs(...args: string[]): void {
  gatewayNodeArgs.push(...args);
}

/** Starts the real CLI pinned to the proxy core with extra flags/env, and reads its address from the banner. */
export function portcullisCase(
  name: string,
  description: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): BenchCase {
  return {
    name,
    description,
    async start(upstreamUrl) {
      const dataDir = mkdtempSync(join(tmpdir(), `pc-bench-${name}-`));
      const main = await compiledGateway();
      const child = spawn(
        'taskset',
        [
          '-c',
          String(PROXY_CORE),
          process.execPath,
          ...gatewayNodeArgs,
          main,
          'start',
          '--upstream',
          upstreamUrl,
          '--listen',
          '127.0.0.1:0',
          '--admin',
          '127.0.0.1:0',
          '--data-dir',
          dataDir,
          '--trust-proxy',
          '127.0.0.1/32',
          ...args,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, PORTCULLIS_ADMIN_TOKEN: 'bench-token-0123456789', ...env },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      const [url, adminUrl] = await new Promise<[string, string]>((resolve, reject) => {
        let err = '';
        child.stderr!.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /gateway\s+(http:\/\/\S+)/.exec(err);
          const a = /admin API\s+(http:\/\/[^\s/]+)/.exec(err);
          if (m && a) resolve([m[1]!, a[1]!]);
        });
        child.on('exit', (code) => reject(new Error(`portcullis exited with ${code}: ${err}`)));
      });
      return { url, adminUrl, ...(child.pid === undefined ? {} : { pid: child.pid }), stop: () => stopChild(child) };
    },
  };
}

export const portcullisCore = portcullisCase(
  'portcullis-core',
  'the pipeline with decisions gate, access log, metrics and events, but detection, identity and behaviour off (issue 2: >= 0.85)',
  ['--disable', 'detection,identity,behaviour'],
);

export const portcullisInspect = portcullisCase(
  'portcullis-inspect',
  'core + attack inspection of every request (issue 4: >= 0.75)',
  ['--disable', 'identity,behaviour'],
);

export const portcullisFull = portcullisCase(
  'portcullis',
  'every stage enabled: identity, gate, inspection, behaviour (issue 6: >= 0.65); access log on, to /dev/null',
);

/**
 * A gateway case whose decision set is loaded through the admin API before measuring: `count` random IPv4
 * addresses plus a tenth as many CIDRs (v4 and v6), none covering the bench's 10.x clients unless `blockClients`.
 */
export function portcullisWithDecisions(
  name: string,
  description: string,
  options: { count: number; blockClients?: boolean; args?: string[] },
): BenchCase {
  const base = portcullisCase(name, description, [
    '--disable',
    'detection,identity,behaviour',
    ...(options.args ?? []),
  ]);
  return {
    name,
    description,
    ...(options.blockClients
      ? {
          workloads: [
            { ...GET, expectStatus: 403 },
            { ...POST, expectStatus: 403 },
          ],
        }
      : {}),
    async start(upstreamUrl) {
      const started = await base.start(upstreamUrl);
      const adminUrl = started.adminUrl!;
      const auth = { authorization: 'Bearer bench-token-0123456789' };
      if (options.count > 0) {
        const cidrs = Math.floor(options.count / 10);
        async function* lines(): AsyncGenerator<string> {
          let buf = '';
          let x = 0x2d000000; // 45.0.0.0: public space, far from the 10.x bench clients
          for (let i = 0; i < options.count; i++) {
            x = (x + 0x9e3779b1) >>> 0;
            const a = (x >>> 24) % 223 === 10 ? 11 : (x >>> 24) % 223 || 1;
            buf += `${a}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}\n`;
            if (i < cidrs)
              buf +=
                i % 2 === 0
                  ? `${a}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.0/24\n`
                  : `2001:db8:${(x >>> 16).toString(16)}:${(x & 0xffff).toString(16)}::/64\n`;
            if (buf.length > 1 << 16) {
              yield buf;
              buf = '';
            }
          }
          yield buf;
        }
        const res = await undiciRequest(`${adminUrl}/api/v1/decisions/import?format=text&name=bench&reason=bench`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'text/plain' },
          body: Readable.from(lines()),
          headersTimeout: 600_000,
          bodyTimeout: 600_000,
        });
        const report = (await res.body.json()) as { accepted?: number };
        if (res.statusCode !== 200) throw new Error(`import failed: ${res.statusCode} ${JSON.stringify(report)}`);
      }
      if (options.blockClients) {
        const res = await undiciRequest(`${adminUrl}/api/v1/decisions`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            value: '10.0.0.0/8',
            action: 'block',
            reason: 'bench: every client blocked at the gate',
          }),
        });
        await res.body.arrayBuffer();
        if (res.statusCode !== 201 && res.statusCode !== 200)
          throw new Error(`block decision failed: ${res.statusCode}`);
      }
      return started;
    },
  };
}

export const portcullisBlocked = portcullisWithDecisions(
  'portcullis-blocked',
  'core pipeline, every client blocked at the gate by a CIDR decision (issue 3: >= 1.5x portcullis-core)',
  { count: 0, blockClients: true },
);

export const portcullis10M = portcullisWithDecisions(
  'portcullis-10m',
  'core pipeline with 10,000,000 IPv4 + 1,000,000 CIDR decisions loaded (issue 3: within 5 % of portcullis-core)',
  { count: Number(process.env.BENCH_DECISIONS ?? 10_000_000) },
);
