import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.ts';
import { isPortcullisError } from '../core/errors.ts';
import { PUBLISHED_RANGES, type RangeSource, refreshGoodBotRanges } from '../identity/good-bots-refresh.ts';
import type { Io } from './start-command.ts';

export const GOODBOTS_HELP = `Usage: portcullis goodbots refresh [options]

Downloads the published address ranges of verified crawlers and monitors (${PUBLISHED_RANGES.map((s) => s.bot).join(', ')})
into identity.goodBots.rangesDir, where the gateway prefers them to the snapshot shipped in the package. A list
that does not download, parse, or looks wrong (a range wider than /8) keeps its previous file. Run it daily, e.g.
from cron, then restart the gateway. Exit code 0 when every list was refreshed, 1 when any failed.

Options:
  -c, --config FILE      read identity.goodBots.rangesDir from this config file (and PORTCULLIS_* variables)
      --dir DIR          write here instead (overrides the config)
      --only BOTS        comma-separated bots to refresh (default: all)
      --source BOT=URL   fetch BOT's list from URL instead of the operator's (a mirror); repeatable
      --timeout-ms N     per download (default 15000)
  -h, --help             this help
`;

export async function runGoodBotsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    io.stdout.write(GOODBOTS_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'refresh') {
    io.stderr.write(`portcullis goodbots: unknown subcommand "${sub}"; the one there is is \`refresh\`\n`);
    return 2;
  }
  let v: Record<string, string | boolean | string[] | undefined>;
  try {
    v = parseArgs({
      args: rest,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        dir: { type: 'string' },
        only: { type: 'string' },
        source: { type: 'string', multiple: true },
        'timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    io.stderr.write(`portcullis goodbots refresh: ${(error as Error).message}; see --help\n`);
    return 2;
  }
  if (v.help === true) {
    io.stdout.write(GOODBOTS_HELP);
    return 0;
  }
  const sources = selectSources(v.only as string | undefined, (v.source as string[] | undefined) ?? []);
  if (typeof sources === 'string') {
    io.stderr.write(`portcullis goodbots refresh: ${sources}\n`);
    return 2;
  }
  const timeoutMs = v['timeout-ms'] === undefined ? 15_000 : Number(v['timeout-ms']);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) {
    io.stderr.write('portcullis goodbots refresh: --timeout-ms must be an integer of at least 100\n');
    return 2;
  }
  let dir: string;
  try {
    dir =
      typeof v.dir === 'string'
        ? v.dir
        : loadConfig({
            ...(typeof v.config === 'string' ? { file: v.config } : {}),
            env: process.env,
          }).identity.goodBots.rangesDir;
  } catch (error) {
    io.stderr.write(`portcullis goodbots refresh: ${isPortcullisError(error) ? error.message : String(error)}\n`);
    return 2;
  }
  const results = await refreshGoodBotRanges({ dir: resolve(dir), sources, timeoutMs });
  for (const r of results) {
    if (r.ok) io.stdout.write(`${r.bot}: ${r.entries} ranges → ${r.file}\n`);
    else io.stderr.write(`${r.bot}: not refreshed, previous file kept (${r.error})\n`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

function selectSources(only: string | undefined, overrides: readonly string[]): RangeSource[] | string {
  const known = new Map(PUBLISHED_RANGES.map((s) => [s.bot, s]));
  const names = only === undefined ? [...known.keys()] : only.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) return `unknown bot ${unknown.join(', ')}; known: ${[...known.keys()].join(', ')}`;
  const urls = new Map<string, string[]>();
  for (const o of overrides) {
    const eq = o.indexOf('=');
    const bot = o.slice(0, eq);
    if (eq < 1 || !known.has(bot)) return `--source takes BOT=URL with BOT one of ${[...known.keys()].join(', ')}`;
    urls.set(bot, [...(urls.get(bot) ?? []), o.slice(eq + 1)]);
  }
  return names.map((n) => {
    const s = known.get(n)!;
    const u = urls.get(n);
    return u === undefined ? s : { ...s, urls: u };
  });
}
