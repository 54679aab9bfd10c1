import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './net.ts';
import { selfSignedCert } from './tls-cert.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `portcullis ARGS` to completion (for commands that exit: --help, bad config, decisions …). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`portcullis ${args.join(' ')} did not exit in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningGateway {
  readonly url: string;
  readonly adminUrl: string;
  readonly token: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Every JSON log line printed so far (access records and others). */
  logs(): Array<Record<string, unknown>>;
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  admin(path: string, init?: { method?: string; body?: string; headers?: Record<string, string> }): Promise<Response>;
}

/**
 * Starts the real CLI (`portcullis start`) on free ports and waits for its banner. Ports are read from the
 * banner, so tests never race for a fixed port.
 */
export async function startCliGateway(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; dataDir?: string; command?: string } = {},
): Promise<RunningGateway> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'portcullis-test-'));
  const token = 'test-token-0123456789abcdef';
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      options.command ?? 'start',
      '--listen',
      '127.0.0.1:0',
      '--admin',
      '127.0.0.1:0',
      '--data-dir',
      dataDir,
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, PORTCULLIS_ADMIN_TOKEN: token, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in 20 s:\n${stderr}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/admin API\s+http/.test(stderr)) {
        clearTimeout(timer);
        resolve(stderr);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code} before it was up:\n${stderr}`));
    });
  });
  const url = /gateway\s+(http:\/\/[^\s]+)/.exec(banner)![1]!;
  const adminUrl = /admin API\s+(http:\/\/[^\s/]+)/.exec(banner)![1]!;
  return {
    url,
    adminUrl,
    token,
    dataDir,
    child,
    logs: () =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    admin: (path, init = {}) =>
      fetch(`${adminUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
      }),
  };
}

/** Polls until `check` returns a value or time runs out (for logs and events written asynchronously). */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The CLI gateway with its HTTPS listener on a fresh port and a throw-away self-signed certificate, in front of
 * `upstreamUrl`; `port` is the HTTPS port.
 */
export async function startCliGatewayWithHttps(upstreamUrl: string): Promise<{ gw: RunningGateway; port: number }> {
  const tls = selfSignedCert();
  const port = await freePort();
  const config = join(tls.dir, 'portcullis.yaml');
  writeFileSync(
    config,
    `upstream: { url: "${upstreamUrl}" }\nhttps:\n  listen: 127.0.0.1:${port}\n  cert: ${tls.cert}\n  key: ${tls.key}\n`,
  );
  return { gw: await startCliGateway(['--config', config]), port };
}
