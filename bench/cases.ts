import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchCase, ROOT, spawnPinned, stopChild } from './harness.ts';

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
      const child = spawn(
        'taskset',
        [
          '-c',
          String(PROXY_CORE),
          process.execPath,
          '--import',
          'tsx',
          'src/cli/main.ts',
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
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr!.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /gateway\s+(http:\/\/\S+)/.exec(err);
          if (m && /admin API/.test(err)) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`portcullis exited with ${code}: ${err}`)));
      });
      return { url, stop: () => stopChild(child) };
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
