import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseYaml } from 'yaml';
import { behaviourConfigSchema } from '../behaviour/config.ts';
import { type LogRecord, parseCombined, parseJsonLine } from '../behaviour/replay/access-log.ts';
import { type ReplayReport, replay } from '../behaviour/replay/replay.ts';

/**
 * `portcullis replay FILE [--format combined|json] [--config FILE] [--disable a,b] [--json]`
 * Runs an access log through the behaviour detectors offline and reports what would have been blocked and why:
 * the safe way to tune thresholds before going inline. FILE `-` reads stdin. Without --format the first line
 * decides (`{` → json). --config reads the `behaviour:` section of a Portcullis config file (YAML or JSON).
 */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

const USAGE = 'usage: portcullis replay FILE [--format combined|json] [--config FILE] [--disable family,…] [--json]\n';

interface Options {
  file: string;
  format?: 'combined' | 'json';
  config?: string;
  disable: string[];
  json: boolean;
}

function parseArgs(args: readonly string[]): Options | string {
  const o: Options = { file: '', disable: [], json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => args[++i] ?? '';
    if (a === '--format') {
      const f = value();
      if (f !== 'combined' && f !== 'json') return `--format must be combined or json, got "${f}"`;
      o.format = f;
    } else if (a === '--config') o.config = value();
    else if (a === '--disable') o.disable.push(...value().split(',').filter(Boolean));
    else if (a === '--json') o.json = true;
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else if (o.file === '') o.file = a;
    else return `one log file at a time; got "${o.file}" and "${a}"`;
  }
  return o.file === '' ? 'FILE is required (use - for stdin)' : o;
}

async function* records(file: string, format: Options['format']): AsyncGenerator<LogRecord | undefined> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  let parse = format === undefined ? undefined : format === 'json' ? parseJsonLine : parseCombined;
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    parse ??= line.trimStart().startsWith('{') ? parseJsonLine : parseCombined;
    yield parse(line);
  }
}

function loadConfig(path: string | undefined) {
  if (path === undefined) return behaviourConfigSchema.parse({});
  const doc = parseYaml(readFileSync(path, 'utf8')) as { behaviour?: unknown } | null;
  return behaviourConfigSchema.parse(doc?.behaviour ?? {});
}

export function formatReplay(r: ReplayReport): string {
  const lines = [
    `${r.requests} requests replayed (${r.skipped} unparseable lines skipped)${r.firstTime ? `, ${r.firstTime} → ${r.lastTime}` : ''}`,
    '',
    'Would have been:',
    ...Object.entries(r.actions)
      .sort((a, b) => b[1] - a[1])
      .map(([a, n]) => `  ${(a === 'gate' ? 'blocked by a decision' : a).padEnd(24)}${String(n).padStart(8)}`),
    '',
    'Why (findings behind challenge, tarpit and block verdicts):',
    ...Object.entries(r.reasons)
      .sort((a, b) => b[1] - a[1])
      .map(([id, n]) => `  ${id.padEnd(40)}${String(n).padStart(8)}`),
    '',
    `Decisions that would have been written (${r.decisions.length}):`,
    ...r.decisions.slice(0, 50).map((d) => `  ${d.at}  block ${d.target} for ${d.ttlMinutes} min: ${d.reason}`),
    ...(r.decisions.length > 50 ? [`  … ${r.decisions.length - 50} more (use --json)`] : []),
    '',
    'Addresses stopped most:',
    ...r.topStopped.map((t) => `  ${t.ip.padEnd(40)}${t.stopped} of ${t.requests} requests`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function runReplayCommand(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(USAGE);
    return 0;
  }
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.stderr.write(`PC_ERR_CONFIG_FLAG: ${options}\n${USAGE}`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(options.config);
  } catch (error) {
    io.stderr.write(`PC_ERR_CONFIG_INVALID: ${options.config}: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const report = await replay(records(options.file, options.format), config, options.disable);
    io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReplay(report));
    return 0;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EACCES') {
      io.stderr.write(`PC_ERR_CONFIG_READ: cannot read ${options.file} (${e.code}); check the path and permissions\n`);
      return 1;
    }
    if (error instanceof RangeError) {
      io.stderr.write(`PC_ERR_CONFIG_FLAG: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
