import { parseArgs } from 'node:util';
import type { Config } from '../config/full-schema.ts';
import { type ConfigFlags, loadConfig } from '../config/load.ts';
import { isPortcullisError, PortcullisError } from '../core/errors.ts';
import { type Gateway, startGateway } from '../gateway.ts';

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export const START_OPTIONS = {
  config: { type: 'string', short: 'c' },
  listen: { type: 'string' },
  upstream: { type: 'string' },
  admin: { type: 'string' },
  'data-dir': { type: 'string' },
  mode: { type: 'string' },
  'trust-proxy': { type: 'string' },
  disable: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const list = (text: string | undefined) =>
  text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

/** Parses start flags; throws PC_ERR_CONFIG_FLAG for unknown flags or missing values. */
export function parseStartFlags(args: string[], extra: Record<string, { type: 'string' | 'boolean' }> = {}) {
  try {
    const { values } = parseArgs({
      args,
      options: { ...START_OPTIONS, ...extra },
      strict: true,
      allowPositionals: false,
    });
    const v = values as Record<string, string | boolean | undefined>;
    const flags: ConfigFlags = {
      ...(typeof v.listen === 'string' ? { listen: v.listen } : {}),
      ...(typeof v.upstream === 'string' ? { upstream: v.upstream } : {}),
      ...(typeof v.admin === 'string' ? { admin: v.admin } : {}),
      ...(typeof v['data-dir'] === 'string' ? { dataDir: v['data-dir'] } : {}),
      ...(typeof v.mode === 'string' ? { mode: v.mode } : {}),
      ...(typeof v['trust-proxy'] === 'string' ? { trustProxy: list(v['trust-proxy'])! } : {}),
      ...(typeof v.disable === 'string' ? { disable: list(v.disable)! } : {}),
    };
    return { values: v, flags, file: typeof v.config === 'string' ? v.config : undefined };
  } catch (error) {
    throw new PortcullisError('PC_ERR_CONFIG_FLAG', `${(error as Error).message}; see \`portcullis start --help\``);
  }
}

/** Reports a startup failure the way the operator needs it: each config problem on its own line, exit code 2. */
export function reportStartError(error: unknown, io: Io): number {
  if (isPortcullisError(error)) {
    const config = error.code.startsWith('PC_ERR_CONFIG_');
    io.stderr.write(`portcullis: ${config ? 'configuration error' : 'cannot start'} [${error.code}]\n`);
    const lines = Array.isArray(error.details) ? (error.details as string[]) : [error.message];
    for (const line of lines) io.stderr.write(`  ${line}\n`);
    return config ? 2 : 1;
  }
  io.stderr.write(`portcullis: unexpected error while starting: ${(error as Error).stack ?? String(error)}\n`);
  return 1;
}

export function printBanner(gateway: Gateway, io: Io, extra: string[] = []): void {
  const lines = [
    `portcullis ${gateway.config.mode === 'monitor' ? '(monitor mode: actions are recorded, not applied) ' : ''}is up`,
    `  gateway     ${gateway.url}${gateway.httpsUrl ? `  and ${gateway.httpsUrl}` : ''}  →  ${gateway.config.upstream.url}`,
    `  admin API   ${gateway.adminUrl}/api/v1/   (health ${gateway.adminUrl}/healthz, metrics ${gateway.adminUrl}/metrics)`,
    ...extra,
  ];
  if (gateway.adminTokenGenerated) {
    lines.push(
      `  admin token ${gateway.adminToken}`,
      `              (generated once, stored with mode 0600 in ${gateway.adminTokenFile}; it is not printed again)`,
    );
  } else if (gateway.adminTokenFile !== undefined) {
    lines.push(`  admin token in ${gateway.adminTokenFile}`);
  }
  io.stderr.write(`${lines.join('\n')}\n`);
}

/** Stops on SIGTERM/SIGINT after draining; reloads on SIGHUP; resolves with the exit code. */
export function runUntilSignal(
  gateway: Gateway,
  onStop: () => Promise<void> = async () => {},
  readConfig?: () => Config,
): Promise<number> {
  const onHangup = () => {
    if (readConfig === undefined) return;
    try {
      gateway.reload(readConfig(), 'SIGHUP');
    } catch (error) {
      const lines =
        isPortcullisError(error) && Array.isArray(error.details) ? error.details : [(error as Error).message];
      gateway.logger.error({ errors: lines }, 'configuration reload failed; the running configuration is unchanged');
    }
  };
  process.on('SIGHUP', onHangup);
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.off('SIGHUP', onHangup);
      gateway.logger.info({ signal }, 'draining in-flight requests, then stopping');
      gateway
        .close()
        .then(onStop)
        .then(
          () => resolve(0),
          () => resolve(1),
        );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

export async function runStartCommand(args: string[], io: Io): Promise<number> {
  let config: Config;
  let readConfig: () => Config;
  try {
    const { values, flags, file } = parseStartFlags(args);
    if (values.help === true) {
      const { START_HELP } = await import('./help.ts');
      io.stdout.write(START_HELP);
      return 0;
    }
    readConfig = () => loadConfig({ ...(file === undefined ? {} : { file }), env: process.env, flags });
    config = readConfig();
  } catch (error) {
    return reportStartError(error, io);
  }
  let gateway: Gateway;
  try {
    gateway = await startGateway(config, { reloadConfig: readConfig });
  } catch (error) {
    return reportStartError(error, io);
  }
  printBanner(gateway, io);
  return runUntilSignal(gateway, undefined, readConfig);
}
