import { type CampaignPlan, credentialStuffing, flood, injection, scanning, scraping } from './campaigns.ts';
import { type LegitPlan, runLegit } from './legit.ts';
import { type GroupReport, Recorder, sleep } from './recorder.ts';

/**
 * The simulation: legitimate traffic for the whole run, attack campaigns started one after another on top of
 * it, all against one gateway URL. Campaign start times are offsets from the start, so legitimate users have
 * logged in and settled before the first attack (as in production, where attacks meet an existing baseline).
 */
export interface SimPlan {
  readonly legit: LegitPlan;
  readonly campaigns: CampaignPlan;
  /** Legitimate traffic keeps running at least this long, and until every campaign is over plus 5 s. */
  readonly minDurationMs: number;
}

export const DEFAULT_PLAN: SimPlan = {
  legit: { browsers: 60, mobiles: 30, officeUsers: 25, partners: 2 },
  campaigns: {
    stuffing: [1500, 600, 600],
    validShare: 0.01,
    stuffingConcurrency: 6,
    scrapers: 30,
    scraperConcurrency: 5,
    scrapeDepth: 50,
    scanners: 3,
    scanPaths: 80,
    injectors: 2,
    injections: 60,
    flood: 3000,
    floodConcurrency: 16,
  },
  minDurationMs: 60_000,
};

export interface SimReport {
  readonly url: string;
  readonly seconds: number;
  readonly groups: readonly GroupReport[];
  readonly legitimate: {
    readonly requests: number;
    readonly blocked: number;
    readonly challenged: number;
    readonly blockedShare: number;
    readonly challengedShare: number;
    readonly usersBlocked: number;
  };
}

export async function runSimulation(
  url: string,
  plan: SimPlan = DEFAULT_PLAN,
  log: (line: string) => void = () => {},
): Promise<SimReport> {
  const started = performance.now();
  const rec = new Recorder();
  let attacksOverAt = Number.POSITIVE_INFINITY;
  const running = () => {
    const now = performance.now();
    return now < started + plan.minDurationMs || now < attacksOverAt + 5000;
  };
  const legit = runLegit(url, rec, plan.legit, running);
  const at = async (seconds: number, name: string, campaign: () => Promise<void>) => {
    await sleep(Math.max(0, started + seconds * 1000 - performance.now()));
    log(`t+${Math.round((performance.now() - started) / 1000)}s ${name} starts`);
    await campaign();
    log(`t+${Math.round((performance.now() - started) / 1000)}s ${name} over`);
  };
  const c = plan.campaigns;
  await Promise.all([
    at(12, 'credential stuffing', () => credentialStuffing(url, rec, c)),
    at(16, 'scraping', () => scraping(url, rec, c)),
    at(22, 'scanning', () => scanning(url, rec, c)),
    at(26, 'injection', () => injection(url, rec, c)),
    at(30, 'flood', () => flood(url, rec, c)),
  ]);
  attacksOverAt = performance.now();
  await Promise.all(legit);
  const groups = rec.report();
  return { url, seconds: Math.round((performance.now() - started) / 1000), groups, legitimate: summarise(groups) };
}

function summarise(groups: readonly GroupReport[]): SimReport['legitimate'] {
  const legit = groups.filter((g) => g.legitimate);
  const requests = legit.reduce((s, g) => s + g.requests, 0);
  const blocked = legit.reduce((s, g) => s + g.blocked, 0);
  const challenged = legit.reduce((s, g) => s + g.challenged, 0);
  return {
    requests,
    blocked,
    challenged,
    blockedShare: requests === 0 ? 0 : blocked / requests,
    challengedShare: requests === 0 ? 0 : challenged / requests,
    usersBlocked: legit.reduce((s, g) => s + (g.usersBlocked ?? 0), 0),
  };
}
