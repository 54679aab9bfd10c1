/**
 * What a User-Agent header claims: browser or library family, major version, device class, and whether it names
 * an attack tool, an automation library or a crawler. Order matters in FAMILIES: Chromium derivatives carry
 * "Chrome/" and "Safari/" too (Edge: "Chrome/… Edg/…"), and every browser starts "Mozilla/5.0".
 */

import { Memo } from '../core/memo.ts';

export type Engine = 'chromium' | 'gecko' | 'webkit' | 'library' | 'unknown';
export type Device = 'desktop' | 'mobile' | 'tablet' | 'bot' | 'unknown';

export interface ClaimedClient {
  readonly family: string;
  readonly engine: Engine;
  readonly version?: number;
  readonly device: Device;
  /** A known scanner or exploitation tool (sqlmap, nikto, nuclei…). */
  readonly attackTool?: string;
  /** A scripting library or headless driver rather than a person's browser. */
  readonly automation?: boolean;
  /** Self-declared crawler (isbot-class match); informational only. */
  readonly crawler?: string;
}

const FAMILIES: readonly [RegExp, string, Engine][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'edge', 'chromium'],
  [/\bOPR\/(\d+)/, 'opera', 'chromium'],
  [/\bSamsungBrowser\/(\d+)/, 'samsung', 'chromium'],
  [/\bHeadlessChrome\/(\d+)/, 'headless-chrome', 'chromium'],
  [/\b(?:Chrome|CriOS)\/(\d+)/, 'chrome', 'chromium'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'firefox', 'gecko'],
  [/\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'safari', 'webkit'],
  [/^curl\/(\d+)/i, 'curl', 'library'],
  [/^Wget\/(\d+)/i, 'wget', 'library'],
  [/^python-requests\/(\d+)/i, 'python-requests', 'library'],
  [/^Python-urllib\/(\d+)/i, 'python-urllib', 'library'],
  [/^python-httpx\/(\d+)/i, 'python-httpx', 'library'],
  [/^aiohttp\/(\d+)|Python\/3[.\d]* aiohttp\/(\d+)/i, 'aiohttp', 'library'],
  [/^Go-http-client\/(\d+)/, 'go', 'library'],
  [/^okhttp\/(\d+)/i, 'okhttp', 'library'],
  [/^(?:node|undici)(?:-fetch)?(?:\/(\d+))?$/i, 'node', 'library'],
  [/^axios\/(\d+)/i, 'axios', 'library'],
  [/^Java\/(\d+)|Apache-HttpClient\/(\d+)/, 'java', 'library'],
  [/^libwww-perl\/(\d+)/, 'perl', 'library'],
  [/^Ruby|^Faraday/, 'ruby', 'library'],
  [/^PostmanRuntime\/(\d+)/, 'postman', 'library'],
  [/^Scrapy\/(\d+)/, 'scrapy', 'library'],
];

/** Tools whose only use against a production API is attack or reconnaissance; their UA is their default. */
const ATTACK_TOOLS: readonly [RegExp, string][] = [
  [/sqlmap/i, 'sqlmap'],
  [/nikto/i, 'nikto'],
  [/nmap scripting engine|\bnmap\b/i, 'nmap'],
  [/masscan/i, 'masscan'],
  [/zgrab/i, 'zgrab'],
  [/nuclei/i, 'nuclei'],
  [/wpscan/i, 'wpscan'],
  [/dirbuster|\bdirb\b|gobuster|feroxbuster|\bffuf\b|Fuzz Faster U Fool|wfuzz/i, 'content-discovery'],
  [/hydra/i, 'hydra'],
  [/acunetix|netsparker|invicti|appscan|webinspect|burp/i, 'commercial-scanner'],
  [/\bw3af\b|arachni|skipfish|openvas|nessus|\bZAP\b|OWASP ZAP|havij|commix|xsstrike|jaeles|whatweb/i, 'scanner'],
  [/fimap|jorgee|morfeus|zmeu|\bmuieblackcat\b/i, 'exploit-kit'],
];

const AUTOMATION = /HeadlessChrome|PhantomJS|puppeteer|playwright|selenium|webdriver|Electron\//i;

/** Self-declared crawlers: the words crawlers use for themselves (isbot's approach, much shorter list). */
const CRAWLER = /([\w-]*(?:bot|crawler|spider|slurp|scraper|fetcher|monitor|pingdom|uptime|archiver))\b/i;

function deviceOf(ua: string, crawler: boolean): Device {
  if (crawler) return 'bot';
  if (/iPad|Tablet|Android(?!.*Mobile)/.test(ua)) return 'tablet';
  if (/Mobile|iPhone|Android/.test(ua)) return 'mobile';
  if (/Windows NT|Macintosh|X11|Linux|CrOS/.test(ua)) return 'desktop';
  return 'unknown';
}

export function parseUserAgent(ua: string | undefined): ClaimedClient {
  if (ua === undefined || ua.trim() === '') return { family: 'none', engine: 'unknown', device: 'unknown' };
  let family = 'other';
  let engine: Engine = 'unknown';
  let version: number | undefined;
  for (const [re, name, eng] of FAMILIES) {
    const m = re.exec(ua);
    if (m === null) continue;
    family = name;
    engine = eng;
    const v = m.slice(1).find((x) => x !== undefined);
    if (v !== undefined) version = Number.parseInt(v, 10);
    break;
  }
  const tool = ATTACK_TOOLS.find(([re]) => re.test(ua))?.[1];
  const crawlerMatch = CRAWLER.exec(ua);
  const crawler = crawlerMatch?.[1]?.toLowerCase();
  const automation = engine === 'library' || AUTOMATION.test(ua);
  return {
    family,
    engine,
    ...(version === undefined ? {} : { version }),
    device: deviceOf(ua, crawler !== undefined),
    ...(tool === undefined ? {} : { attackTool: tool }),
    ...(automation ? { automation } : {}),
    ...(crawler === undefined ? {} : { crawler }),
  };
}

/** UA strings repeat heavily (one per client build), so each is parsed once. */
const cache = new Memo<ClaimedClient>(10_000);

export function claimedClient(ua: string | undefined): ClaimedClient {
  return cache.get(ua ?? '', parseUserAgent);
}
