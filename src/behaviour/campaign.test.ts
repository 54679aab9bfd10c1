import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Facet } from '../core/facet.ts';
import { CampaignTracker } from './campaign.ts';
import { behaviourConfigSchema } from './config.ts';
import { MemoryCounterStore } from './counter-store.ts';

const config = behaviourConfigSchema.parse({});

test('five blocked IPs sharing an uncommon client stack escalate to a block of the stack', () => {
  const campaign = new CampaignTracker(config, new MemoryCounterStore());
  const results = [1, 2, 3, 4, 5].map((i) => {
    campaign.see(`ip:198.51.100.${i}`, ['http:tool'], false);
    return campaign.blocked(`ip:198.51.100.${i}`, ['http:tool'], 0);
  });
  assert.deepEqual(results.slice(0, 4), [[], [], [], []]);
  assert.deepEqual(results[4], [{ kind: 'http', value: 'tool', facet: 'http:tool', blockedIps: 5 }]);
});

test('the collateral guard keeps a stack common among low-risk traffic from being blocked', () => {
  const campaign = new CampaignTracker(config, new MemoryCounterStore());
  for (let user = 0; user < 20; user++)
    for (let r = 0; r < 3; r++) campaign.see(`ip:203.0.113.${user}`, ['tls:chrome'], true);
  assert.equal(campaign.isCommon('tls:chrome'), true);
  let escalations = 0;
  for (let i = 1; i <= 10; i++) {
    campaign.see(`ip:198.51.100.${i}`, ['tls:chrome'], false);
    escalations += campaign.blocked(`ip:198.51.100.${i}`, ['tls:chrome'], 0).length;
  }
  assert.equal(escalations, 0);
});

test('a stack whose early IPs looked clean is still escalated once most of its IPs are flagged', () => {
  const campaign = new CampaignTracker(config, new MemoryCounterStore());
  for (let i = 0; i < 6; i++) for (let r = 0; r < 3; r++) campaign.see(`ip:198.51.100.${i}`, ['http:tool'], true);
  for (let i = 10; i < 60; i++) campaign.see(`ip:198.51.100.${i}`, ['http:tool'], false);
  assert.equal(campaign.isCommon('http:tool'), false);
  const out = [10, 11, 12, 13, 14].flatMap((i) => campaign.blocked(`ip:198.51.100.${i}`, ['http:tool'], 0));
  assert.equal(out.length, 1);
});

test('subnets escalate to a CIDR block after four blocked addresses', () => {
  const campaign = new CampaignTracker(config, new MemoryCounterStore());
  const out = [1, 2, 3, 4].flatMap((i) => campaign.blocked(`ip:198.51.100.${i}`, ['subnet:198.51.100.0/24'], 0));
  assert.deepEqual(out, [{ kind: 'cidr', value: '198.51.100.0/24', facet: 'subnet:198.51.100.0/24', blockedIps: 4 }]);
});

test('one steady low-risk client with many requests makes its stack common (a partner sharing a tool’s headers)', () => {
  const campaign = new CampaignTracker(config, new MemoryCounterStore());
  for (let r = 0; r < 40; r++) campaign.see('ip:192.0.2.50', ['http:shared'], true);
  let escalations = 0;
  for (let i = 1; i <= 10; i++) {
    campaign.see(`ip:198.51.100.${i}`, ['http:shared'], false);
    escalations += campaign.blocked(`ip:198.51.100.${i}`, ['http:shared'], 0).length;
  }
  assert.equal(escalations, 0);
});

test('a facet remembers its last ipsPerFacet IPs, and its low-risk count follows the forgotten ones out', () => {
  const cap = 8;
  const small = behaviourConfigSchema.parse({ campaign: { ipsPerFacet: cap } });
  const campaign = new CampaignTracker(small, new MemoryCounterStore());
  // Reference model: arrival order (FIFO), per-IP requests and flag, as the tracker documents them.
  const model = new Map<string, { requests: number; flagged: boolean }>();
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let step = 0; step < 2_000; step++) {
    const ip: Facet = `ip:10.0.0.${Math.floor(next() * 20)}`;
    const low = next() < 0.9;
    campaign.see(ip, ['http:shared'], low);
    let seen = model.get(ip);
    if (seen === undefined) {
      if (model.size === cap) model.delete(model.keys().next().value!);
      seen = { requests: 0, flagged: false };
      model.set(ip, seen);
    }
    seen.requests++;
    if (!low) seen.flagged = true;
    const lowRisk = [...model.values()].filter((s) => !s.flagged && s.requests >= small.campaign.lowRiskMinRequests);
    assert.deepEqual(campaign.population('http:shared'), { ips: model.size, lowRisk: lowRisk.length }, `step ${step}`);
  }
});
