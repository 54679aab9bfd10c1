import { z } from 'zod';

/**
 * `decisions:` section of the gateway config. Every field has a default (units in the name or the comment) so
 * `decisionsConfigSchema.parse({})` is a complete config. Dangerous defaults are argued in docs/decisions.md.
 */
export const decisionsConfigSchema = z
  .object({
    /** Largest bulk-import upload, bytes. Refused from Content-Length before reading, else when the count passes it. */
    importMaxBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024 * 1024),
    /** JSON and CrowdSec imports are parsed whole, so they get a lower limit than line formats, bytes. */
    importJsonMaxBytes: z
      .number()
      .int()
      .positive()
      .default(256 * 1024 * 1024),
    /** Longest accepted import line, bytes; longer lines are rejected (and reported) on their own. */
    importMaxLineBytes: z.number().int().min(64).default(4096),
    /** TTL for imported entries without their own, ms; 0 = never expire (feeds are usually re-imported daily). */
    importDefaultTtlMs: z.number().int().min(0).default(0),
    /** Lines written per SQLite transaction during an import; each commit is one fsync. */
    importBatchRows: z.number().int().min(100).max(1_000_000).default(200_000),
    /** How many rejected lines an import reports one by one (the count is always exact). */
    importMaxReportedErrors: z.number().int().min(0).default(1000),
    /** How often expired decisions are removed from memory and disk, ms. Expired ones stop matching at once. */
    sweepIntervalMs: z.number().int().min(50).default(1000),
    /** SQLite synchronous mode: `full` survives power loss; `normal` only process crashes (kill -9). */
    synchronous: z.enum(['full', 'normal']).default('full'),
    /** Per bulk change (import, bulk delete, expiry), at most this many per-decision events; then one summary. */
    bulkEventLimit: z.number().int().min(0).default(1000),
    /** Search page size when none is asked for, and the largest allowed. */
    searchDefaultLimit: z.number().int().min(1).default(100),
    searchMaxLimit: z.number().int().min(1).default(1000),
    /** Unused: cluster keys are `<store.redisPrefix>decisions:…` (kept so existing configs still load). */
    redisKeyPrefix: z.string().min(1).default('portcullis:decisions:'),
    /** Cluster mode: decision changes (entries) held while Redis is unreachable; past it, a full resync later. */
    clusterQueueMax: z.number().int().min(1).default(1_000_000),
    /**
     * Cluster mode: approximate length cap of the Redis change stream, entries. An entry holds one change or up to
     * 1,000 of a bulk change (≈ 150 KB), so the cap bounds Redis memory; a node further behind resyncs in full.
     */
    clusterStreamMaxLen: z.number().int().min(100).default(10_000),
  })
  .strict();

export type DecisionsConfig = z.infer<typeof decisionsConfigSchema>;
