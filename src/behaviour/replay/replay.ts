import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.ts';
import type { Facet } from '../../core/facet.ts';
import { DEFAULT_VERDICT } from '../../core/verdict.ts';
import { EventBus } from '../../events/bus.ts';
import type { BehaviourConfig } from '../config.ts';
import { MemoryCounterStore } from '../counter-store.ts';
import { type BehaviourSubject, createBehaviourEngine } from '../engine.ts';
import { RecordingDecisions, SimpleLinks } from '../engine-harness.ts';
import { subnetOf } from '../request-view.ts';
import type { LogRecord } from './access-log.ts';

/**
 * Offline replay: an existing access log through the behaviour detectors, risk and policy on a virtual clock
 * that follows the log's timestamps, with an in-memory decision store acting as the gate. Every request is then
 * "observed" with the status it really got, as in monitor mode, so detectors learn exactly what they would have
 * learned inline. Logs carry no header order and no bodies, so the client stack is approximated by the
 * User-Agent (`http:ua-…`) and accounts are unknown (login detectors fall back to failure ratios).
 */
export interface ReplayReport {
  readonly lines: number;
  readonly requests: number;
  readonly skipped: number;
  readonly firstTime?: string;
  readonly lastTime?: string;
  /** What would have happened to each request, by action (`gate` = stopped by an earlier decision). */
  readonly actions: Readonly<Record<string, number>>;
  /** Rule ids of the findings behind block, tarpit and challenge verdicts, by count. */
  readonly reasons: Readonly<Record<string, number>>;
  readonly decisions: readonly { target: string; reason: string; ttlMinutes: number; at: string }[];
  /** The addresses that would have been stopped most, with how many of their requests. */
  readonly topStopped: readonly { ip: string; stopped: number; requests: number }[];
}

const uaHash = (ua: string) => createHash('sha256').update(ua).digest('base64url').slice(0, 12);

export async function replay(
  records: AsyncIterable<LogRecord | undefined>,
  config: BehaviourConfig,
  disabledFamilies: readonly string[] = [],
): Promise<ReplayReport> {
  const clock = new ManualClock(0);
  const decisions = new RecordingDecisions(clock);
  const links = new SimpleLinks();
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-replay-'));
  const engine = createBehaviourEngine(config, {
    clock,
    links,
    decisions,
    counters: new MemoryCounterStore({ maxKeys: config.windows.maxKeys }),
    events: new EventBus(),
    dataDir,
    disabledFamilies,
  });
  const actions: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  const perIp = new Map<string, { stopped: number; requests: number }>();
  let lines = 0;
  let skipped = 0;
  let first: number | undefined;
  let last: number | undefined;
  try {
    for await (const r of records) {
      lines++;
      if (r === undefined) {
        skipped++;
        continue;
      }
      // Logs from several workers are only roughly ordered; time never runs backwards on the virtual clock.
      clock.set(Math.max(clock.now(), r.time));
      first ??= r.time;
      last = r.time;
      const facets: Facet[] = [`ip:${r.ip}`];
      const subnet = subnetOf(r.ip);
      if (subnet) facets.push(subnet);
      if (r.userAgent) facets.push(`http:ua-${uaHash(r.userAgent)}`);
      if (r.user) facets.push(`principal:${r.user}`);
      links.observe(facets);
      const s: BehaviourSubject = {
        id: `line-${lines}`,
        method: r.method,
        path: r.path,
        rawQuery: r.rawQuery,
        clientIp: r.ip,
        facets,
        findings: [],
        verdict: DEFAULT_VERDICT,
        enforce: true,
        notes: {},
        req: { headers: r.userAgent ? { 'user-agent': r.userAgent } : {} },
        exempt: false,
      };
      const ip = perIp.get(r.ip) ?? { stopped: 0, requests: 0 };
      ip.requests++;
      perIp.set(r.ip, ip);
      let action: string;
      if (decisions.blocks(facets)) action = 'gate';
      else {
        engine.profile(s);
        engine.score(s);
        engine.act(s);
        action = s.verdict.action;
        if (action === 'block' || action === 'tarpit' || action === 'challenge') {
          const why =
            s.verdict.action === 'block' && s.verdict.ruleId ? [s.verdict.ruleId] : s.findings.map((f) => f.ruleId);
          for (const id of new Set(why.length > 0 ? why : ['risk carried from earlier requests']))
            reasons[id] = (reasons[id] ?? 0) + 1;
        }
        (s as { upstream?: { status: number; latencyMs: number } }).upstream = { status: r.status, latencyMs: 0 };
        engine.observe(s);
      }
      actions[action] = (actions[action] ?? 0) + 1;
      if (action === 'gate' || action === 'block' || action === 'challenge') ip.stopped++;
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const topStopped = [...perIp]
    .filter(([, v]) => v.stopped > 0)
    .sort((a, b) => b[1].stopped - a[1].stopped)
    .slice(0, 10)
    .map(([ip, v]) => ({ ip, ...v }));
  return {
    lines,
    requests: lines - skipped,
    skipped,
    ...(first !== undefined && { firstTime: new Date(first).toISOString() }),
    ...(last !== undefined && { lastTime: new Date(last).toISOString() }),
    actions,
    reasons,
    decisions: decisions.added.map((d) => ({
      target: `${d.kind}:${d.value}`,
      reason: d.reason,
      ttlMinutes: Math.round(((d.expiresAt ?? d.createdAt) - d.createdAt) / 60_000),
      at: new Date(d.createdAt).toISOString(),
    })),
    topStopped,
  };
}
