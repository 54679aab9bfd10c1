import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpRanges, loadRangeText } from './ip-ranges.ts';

/**
 * `portcullis goodbots refresh`: downloads the crawler and monitor operators' published address lists into the
 * good-bot ranges directory, where the verifier (good-bots.ts) prefers them to the snapshot shipped in the package.
 *
 * A download replaces a bot's file only when it is what a range list should be: HTTP 200, parseable, at least one
 * range, every entry a CIDR, and no range wider than /8 (IPv4) or /16 (IPv6) — a truncated page or a feed that
 * suddenly lists 0.0.0.0/0 would otherwise verify every impostor. A failed bot keeps its previous file. Files are
 * written whole (temporary file, then rename), so a gateway starting meanwhile never reads half a list.
 * `sources.json` beside them records where each came from and when, for the operator and for audits.
 */

export interface RangeSource {
  readonly bot: string;
  /** One URL, or several whose bodies are concatenated (text lists split by address family). */
  readonly urls: readonly string[];
  /** `<bot>.json` (the operators' `{"prefixes":[…]}` shape) or `<bot>.txt` (one CIDR a line). */
  readonly file: string;
}

/** Where each operator documents its list (as of 2026-11; check their docs if one stops answering). */
export const PUBLISHED_RANGES: readonly RangeSource[] = [
  // developers.google.com/search/docs/crawling-indexing/verifying-googlebot
  {
    bot: 'googlebot',
    urls: ['https://developers.google.com/static/search/apis/ipranges/googlebot.json'],
    file: 'googlebot.json',
  },
  // bing.com/webmasters/help/how-to-verify-bingbot-3905dc26
  { bot: 'bingbot', urls: ['https://www.bing.com/toolbox/bingbot.json'], file: 'bingbot.json' },
  // support.apple.com/en-us/119829 ("About Applebot")
  { bot: 'applebot', urls: ['https://search.developer.apple.com/applebot.json'], file: 'applebot.json' },
  { bot: 'uptimerobot', urls: ['https://uptimerobot.com/inc/files/ips/IPv4andIPv6.txt'], file: 'uptimerobot.txt' },
  {
    bot: 'pingdom',
    urls: ['https://my.pingdom.com/probes/ipv4', 'https://my.pingdom.com/probes/ipv6'],
    file: 'pingdom.txt',
  },
];

const WIDEST_V4 = 8;
const WIDEST_V6 = 16;
/** A published list is a few KB; anything far larger is not one. */
const MAX_BYTES = 4 * 1024 * 1024;

export type RefreshResult =
  | { readonly bot: string; readonly ok: true; readonly file: string; readonly entries: number }
  | { readonly bot: string; readonly ok: false; readonly error: string };

export interface RefreshOptions {
  readonly dir: string;
  readonly sources?: readonly RangeSource[];
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

async function download(url: string, timeoutMs: number): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (res.status !== 200) throw new Error(`${url} answered HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_BYTES) throw new Error(`${url} sent ${text.length} bytes, more than a range list`);
  return text;
}

/** Why `text` is not a usable range list, or undefined with its entry count when it is. */
export function checkRangeList(text: string): { entries: number } | { error: string } {
  const ranges = new IpRanges();
  let rejected: number;
  try {
    rejected = loadRangeText(ranges, text);
  } catch (error) {
    return { error: `not valid JSON (${(error as Error).message})` };
  }
  if (rejected > 0) return { error: `${rejected} entries are not CIDRs; the format may have changed` };
  if (ranges.size === 0) return { error: 'no ranges in the document' };
  const { v4, v6 } = ranges.widest;
  if (v4 !== undefined && v4 < WIDEST_V4) return { error: `lists an IPv4 range as wide as /${v4}` };
  if (v6 !== undefined && v6 < WIDEST_V6) return { error: `lists an IPv6 range as wide as /${v6}` };
  return { entries: ranges.size };
}

function writeWhole(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export async function refreshGoodBotRanges(options: RefreshOptions): Promise<RefreshResult[]> {
  const { dir } = options;
  const sources = options.sources ?? PUBLISHED_RANGES;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const now = options.now ?? (() => new Date());
  mkdirSync(dir, { recursive: true });
  const results = await Promise.all(
    sources.map(async (source): Promise<RefreshResult> => {
      try {
        const bodies = await Promise.all(source.urls.map((url) => download(url, timeoutMs)));
        const text = source.file.endsWith('.json') ? bodies[0]! : bodies.map((b) => b.trim()).join('\n');
        const check = checkRangeList(text);
        if ('error' in check) return { bot: source.bot, ok: false, error: `${source.urls.join(' + ')}: ${check.error}` };
        writeWhole(join(dir, source.file), source.file.endsWith('.json') ? text : `${text}\n`);
        return { bot: source.bot, ok: true, file: join(dir, source.file), entries: check.entries };
      } catch (error) {
        return { bot: source.bot, ok: false, error: (error as Error).message };
      }
    }),
  );
  const provenanceFile = join(dir, 'sources.json');
  let provenance: Record<string, unknown> = {};
  if (existsSync(provenanceFile)) {
    try {
      provenance = JSON.parse(readFileSync(provenanceFile, 'utf8')) as Record<string, unknown>;
    } catch {
      provenance = {}; // rewritten below; it is a record for people, nothing reads it back
    }
  }
  const fetchedAt = now().toISOString();
  for (const r of results) {
    if (!r.ok) continue;
    const source = sources.find((s) => s.bot === r.bot)!;
    provenance[r.bot] = { urls: source.urls, file: source.file, fetchedAt, entries: r.entries };
  }
  writeWhole(provenanceFile, `${JSON.stringify(provenance, null, 2)}\n`);
  return results;
}
