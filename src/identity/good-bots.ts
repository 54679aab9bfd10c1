import { Resolver } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Clock } from '../core/clock.ts';
import { PortcullisError } from '../core/errors.ts';
import { normalizeIp } from '../core/ip.ts';
import { PACKAGE_ROOT } from '../core/package-root.ts';
import type { IdentityConfig } from './config.ts';
import { IpRanges, loadRangeText } from './ip-ranges.ts';

/**
 * Verified good bots. A request whose User-Agent claims a known crawler is checked two ways, as the operators
 * document: its address is in the operator's published ranges (data/good-bots/<name>.json|txt, refreshable), or
 * forward-confirmed reverse DNS holds — PTR(ip) ends in the operator's domain and that name resolves back to ip
 * (Google: developers.google.com/search/docs/crawling-indexing/verifying-googlebot; Bing: "Verifying Bingbot").
 *
 * DNS never runs on the request path: the first request from an address starts the lookup and is judged
 * `pending`; the result is cached per (bot, address) for positive/negative TTLs, bounded in entries.
 *
 * Range files are looked up per bot in two places, the first that has any file for that bot winning (so a fresh
 * download replaces the snapshot rather than merging with addresses the operator has since given up):
 *   1. `identity.goodBots.rangesDir` — where `portcullis goodbots refresh` writes (src/identity/good-bots-refresh.ts);
 *   2. the dated snapshot shipped in the package, `data/good-bots/` (sources and dates in its README).
 */
export interface GoodBot {
  readonly name: string;
  readonly ua: RegExp;
  /** Domain suffixes PTR names must end with; empty = ranges only (the operator publishes no rDNS scheme). */
  readonly rdns: readonly string[];
}

export const GOOD_BOTS: readonly GoodBot[] = [
  {
    name: 'googlebot',
    ua: /Googlebot|Google-InspectionTool|GoogleOther|Storebot-Google|AdsBot-Google|Mediapartners-Google/i,
    rdns: ['.googlebot.com', '.google.com', '.googleusercontent.com'],
  },
  { name: 'bingbot', ua: /bingbot|BingPreview|msnbot|adidxbot/i, rdns: ['.search.msn.com'] },
  { name: 'applebot', ua: /Applebot/i, rdns: ['.applebot.apple.com'] },
  {
    name: 'yandexbot',
    ua: /YandexBot|YandexImages|YandexMobileBot/i,
    rdns: ['.yandex.ru', '.yandex.net', '.yandex.com'],
  },
  { name: 'baiduspider', ua: /Baiduspider/i, rdns: ['.baidu.com', '.baidu.jp'] },
  { name: 'petalbot', ua: /PetalBot/i, rdns: ['.petalsearch.com'] },
  { name: 'duckduckbot', ua: /DuckDuckBot/i, rdns: [] },
  { name: 'uptimerobot', ua: /UptimeRobot/i, rdns: [] },
  { name: 'pingdom', ua: /Pingdom/i, rdns: [] },
];

export type BotStatus = 'verified' | 'unverified' | 'pending';

/** The range files shipped with the package (a dated snapshot of the operators' published lists). */
export const SNAPSHOT_RANGES_DIR = join(PACKAGE_ROOT, 'data', 'good-bots');

export interface GoodBotVerifierOptions {
  /** Fallback directory for bots with no file in `rangesDir`; null = none (tests that need DNS to decide). */
  readonly snapshotDir?: string | null;
}

export class GoodBotVerifier {
  readonly #ranges = new Map<string, IpRanges>();
  readonly #cache = new Map<string, { ok: boolean; until: number }>();
  readonly #inflight = new Map<string, Promise<boolean>>();
  readonly #resolver: Resolver;
  readonly #config: IdentityConfig['goodBots'];
  readonly #clock: Clock;
  readonly #dirs: readonly string[];

  constructor(config: IdentityConfig['goodBots'], clock: Clock, options: GoodBotVerifierOptions = {}) {
    this.#config = config;
    this.#clock = clock;
    const snapshot = options.snapshotDir === undefined ? SNAPSHOT_RANGES_DIR : options.snapshotDir;
    const own = resolve(config.rangesDir);
    this.#dirs = snapshot === null || resolve(snapshot) === own ? [own] : [own, resolve(snapshot)];
    this.#resolver = new Resolver({ timeout: config.lookupTimeoutMs, tries: 1 });
    if (config.resolver !== undefined) this.#resolver.setServers([config.resolver]);
    this.reloadRanges();
  }

  /** Re-reads the range files (after an operator refreshes them). Returns entries loaded per bot. */
  reloadRanges(): Record<string, number> {
    const counts: Record<string, number> = {};
    this.#ranges.clear();
    for (const bot of GOOD_BOTS) {
      const ranges = new IpRanges();
      const files = this.#dirs
        .map((dir) => ['json', 'txt'].map((ext) => resolve(dir, `${bot.name}.${ext}`)).filter((f) => existsSync(f)))
        .find((found) => found.length > 0);
      for (const file of files ?? []) {
        try {
          loadRangeText(ranges, readFileSync(file, 'utf8'));
        } catch (cause) {
          throw new PortcullisError(
            'PC_ERR_IDENTITY_BOT_RANGES',
            `cannot read good-bot ranges ${file} (${(cause as Error).message}); re-download it with \`portcullis goodbots refresh\``,
            { cause },
          );
        }
      }
      this.#ranges.set(bot.name, ranges);
      counts[bot.name] = ranges.size;
    }
    this.#cache.clear();
    return counts;
  }

  claimed(userAgent: string | undefined): GoodBot | undefined {
    if (userAgent === undefined) return undefined;
    return GOOD_BOTS.find((b) => b.ua.test(userAgent));
  }

  /** Synchronous: ranges and cached results answer now; otherwise a lookup starts and the answer is `pending`. */
  status(bot: GoodBot, ip: string): BotStatus {
    if (this.#ranges.get(bot.name)?.has(ip)) return 'verified';
    const key = `${bot.name}|${ip}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined && hit.until > this.#clock.now()) return hit.ok ? 'verified' : 'unverified';
    if (bot.rdns.length === 0) return 'unverified';
    void this.verify(bot, ip);
    return 'pending';
  }

  /** Forward-confirmed reverse DNS, deduplicated per key and cached. Never rejects. */
  verify(bot: GoodBot, ip: string): Promise<boolean> {
    const key = `${bot.name}|${ip}`;
    const running = this.#inflight.get(key);
    if (running !== undefined) return running;
    const p = this.#fcrdns(bot, ip)
      .catch(() => false)
      .then((ok) => {
        this.#inflight.delete(key);
        if (this.#cache.size >= this.#config.cacheEntries) {
          const oldest = this.#cache.keys().next().value;
          if (oldest !== undefined) this.#cache.delete(oldest);
        }
        const ttl = ok ? this.#config.positiveTtlMs : this.#config.negativeTtlMs;
        this.#cache.set(key, { ok, until: this.#clock.now() + ttl });
        return ok;
      });
    this.#inflight.set(key, p);
    return p;
  }

  async #fcrdns(bot: GoodBot, ip: string): Promise<boolean> {
    const names = await this.#resolver.reverse(ip);
    const v6 = ip.includes(':');
    for (const name of names) {
      const host = name.toLowerCase().replace(/\.$/, '');
      if (!bot.rdns.some((suffix) => host.endsWith(suffix))) continue;
      const addrs = await (v6 ? this.#resolver.resolve6(host) : this.#resolver.resolve4(host)).catch(() => []);
      if (addrs.some((a) => normalizeIp(a) === ip)) return true;
    }
    return false;
  }
}
