import { demoPassword } from '../../examples/demo-api/data.ts';
import { SimClient } from './client.ts';
import type { ClientProfile } from './profiles.ts';
import { PROFILES } from './profiles.ts';
import { type Recorder, sleep } from './recorder.ts';
import { mulberry32 } from '../core/prng.ts';

/**
 * Legitimate traffic: people in browsers and the mobile app, an office of people behind one NAT address, and a
 * partner integration polling on a fixed schedule. Each person logs in (8 % mistype the password once), then
 * browses with human think time: product pages, listings, searches, their orders; a third sign in again later.
 */
export interface LegitPlan {
  readonly browsers: number;
  readonly mobiles: number;
  readonly officeUsers: number;
  readonly partners: number;
}

type Rand = () => number;

/** Seeded so two runs send the same traffic. */
export const rng: (seed: number) => Rand = mulberry32;

const WORDS = ['lamp', 'kettle', 'chair', 'mug', 'desk', 'pen', 'blue', 'travel'];

async function person(
  base: string,
  rec: Recorder,
  group: string,
  profile: ClientProfile,
  ip: string,
  userId: number,
  running: () => boolean,
  rand: Rand,
  thinkMs: [number, number],
): Promise<void> {
  const client = new SimClient(base, profile, ip);
  const user = `${group}#${userId}`;
  try {
    await sleep(rand() * 8000);
    if (rand() < 0.08)
      rec.record(group, user, await client.call('POST', '/api/login', { username: `user${userId}`, password: 'typo' }));
    const login = await client.call('POST', '/api/login', {
      username: `user${userId}`,
      password: demoPassword(userId),
    });
    rec.record(group, user, login);
    if (login.outcome === 'reached' && login.status === 200)
      client.bearer = (JSON.parse(login.body) as { token: string }).token;
    // A third of the people sign in again while the attacks run (a session expired, a second device), so the
    // report shows what an attack costs legitimate users who meet the login alert.
    const started = performance.now();
    let reLoginAt = rand() < 0.35 ? started + 12_000 + rand() * 25_000 : Number.POSITIVE_INFINITY;
    while (running()) {
      await sleep(thinkMs[0] + rand() * (thinkMs[1] - thinkMs[0]));
      if (performance.now() >= reLoginAt) {
        reLoginAt = Number.POSITIVE_INFINITY;
        const again = await client.call('POST', '/api/login', {
          username: `user${userId}`,
          password: demoPassword(userId),
        });
        rec.record(group, user, again);
        if (again.outcome === 'reached' && again.status === 200)
          client.bearer = (JSON.parse(again.body) as { token: string }).token;
        continue;
      }
      const dice = rand();
      let r: Awaited<ReturnType<SimClient['call']>>;
      if (dice < 0.55) r = await client.call('GET', `/api/products/${1 + Math.floor(rand() * 1000)}`);
      else if (dice < 0.75) r = await client.call('GET', `/api/products?page=${1 + Math.floor(rand() * 5)}`);
      else if (dice < 0.88) r = await client.call('GET', `/api/search?q=${WORDS[Math.floor(rand() * WORDS.length)]}`);
      else if (dice < 0.95) r = await client.call('GET', '/api/orders');
      else r = await client.call('POST', '/api/orders', { productId: 1 + Math.floor(rand() * 1000), quantity: 1 });
      rec.record(group, user, r);
    }
  } finally {
    client.close();
  }
}

async function partner(base: string, rec: Recorder, n: number, running: () => boolean): Promise<void> {
  const ip = `127.0.250.${10 + n}`;
  const client = new SimClient(base, PROFILES.partner, ip);
  const user = `partner#${n}`;
  const userId = 490 + n;
  try {
    const login = await client.call('POST', '/api/login', {
      username: `user${userId}`,
      password: demoPassword(userId),
    });
    rec.record('partner integration', user, login);
    if (login.status === 200) client.bearer = (JSON.parse(login.body) as { token: string }).token;
    // A scheduler, not a person: exactly two calls per second, the same two endpoints in turn.
    let tick = performance.now();
    for (let i = 0; running(); i++) {
      tick += 500;
      const r = await client.call('GET', i % 5 === 4 ? `/api/products?page=${1 + (i % 3)}` : '/api/orders');
      rec.record('partner integration', user, r);
      await sleep(Math.max(0, tick - performance.now()));
    }
  } finally {
    client.close();
  }
}

/** Starts every legitimate actor; they stop when `running()` turns false. */
export function runLegit(base: string, rec: Recorder, plan: LegitPlan, running: () => boolean): Promise<void>[] {
  const runs: Promise<void>[] = [];
  for (const g of ['browsers', 'mobile app', 'NAT office (one address)', 'partner integration']) rec.start(g, true);
  for (let i = 0; i < plan.browsers; i++)
    runs.push(
      person(
        base,
        rec,
        'browsers',
        PROFILES.chrome,
        `127.0.${1 + (i >> 6)}.${10 + (i & 63)}`,
        1 + i,
        running,
        rng(1000 + i),
        [1500, 4500],
      ),
    );
  for (let i = 0; i < plan.mobiles; i++)
    runs.push(
      person(
        base,
        rec,
        'mobile app',
        PROFILES.mobile,
        `127.0.${20 + (i >> 6)}.${10 + (i & 63)}`,
        200 + i,
        running,
        rng(2000 + i),
        [2000, 6000],
      ),
    );
  for (let i = 0; i < plan.officeUsers; i++)
    runs.push(
      person(
        base,
        rec,
        'NAT office (one address)',
        PROFILES.chrome,
        '127.0.200.10',
        300 + i,
        running,
        rng(3000 + i),
        [1500, 4500],
      ),
    );
  for (let i = 0; i < plan.partners; i++) runs.push(partner(base, rec, i, running));
  return runs;
}
