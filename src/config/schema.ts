import { z } from 'zod';
import { isCidr } from './cidr.ts';
import { parseHostPort } from './host-port.ts';

/**
 * The gateway's configuration, validated once at start and then frozen (style rule 9).
 * Every key has its default and unit beside it; unknown keys are errors. Precedence: file → env → flags
 * (see `load.ts`). Sections owned by other areas (decisions, detection, identity, behaviour) are added in
 * `full-schema.ts`.
 */
const hostPort = z
  .string()
  .refine((s) => parseHostPort(s) !== undefined, 'must be HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080');

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.search === '' && u.hash === '';
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL without query or fragment, e.g. http://127.0.0.1:3000');

const cidr = z.string().refine(isCidr, 'must be an IP address or CIDR, e.g. 10.0.0.0/8 or 2001:db8::/32');
const ms = (d: number) => z.number().int().min(1).max(86_400_000).default(d);
const bytes = (d: number, max = 2 ** 40) => z.number().int().min(1).max(max).default(d);

export const upstreamSchema = z
  .object({
    /** Origin requests are forwarded to; its path prefix is prepended to every request path. */
    url: httpUrl.default('http://127.0.0.1:3000'),
    /** Keep-alive connections held open to the upstream (undici pool). */
    connections: z.number().int().min(1).max(10_000).default(128),
    connectTimeoutMs: ms(5_000),
    /** Time to the upstream's response headers before the client gets a 504. */
    timeoutMs: ms(30_000),
    /** Idle time between response body chunks before the response is cut off. */
    bodyTimeoutMs: ms(60_000),
  })
  .strict();

export const httpsSchema = z
  .object({
    listen: hostPort,
    cert: z.string().min(1),
    key: z.string().min(1),
  })
  .strict();

export const adminSchema = z
  .object({
    /** Loopback by default: the admin API can lift blocks, so it must never face the internet by accident. */
    listen: hostPort.default('127.0.0.1:9090'),
    /** Overridden by PORTCULLIS_ADMIN_TOKEN; when both are absent one is generated into the data dir (0600). */
    token: z.string().min(16, 'must be at least 16 characters; use a random value').optional(),
    /** Largest admin request body (bulk imports stream and have their own limit). */
    maxBodyBytes: bytes(1_048_576),
  })
  .strict();

export const limitsSchema = z
  .object({
    /** Total size of the request line and headers (Node's --max-http-header-size); larger gets 431. */
    maxHeaderBytes: bytes(16_384, 1_048_576),
    /** Largest request body forwarded; larger gets 413 (early from Content-Length, or when the stream passes it). */
    maxBodyBytes: bytes(10 * 1_048_576),
    /** Slowloris guard: the whole header block must arrive within this time. */
    headersTimeoutMs: ms(10_000),
    /** The whole request (headers and body) must arrive within this time. */
    requestTimeoutMs: ms(60_000),
    /** Idle keep-alive connections from clients are closed after this. */
    keepAliveTimeoutMs: ms(5_000),
    /** Open connections one client address may hold; past it new connections are refused. */
    maxConnectionsPerIp: z.number().int().min(1).max(1_000_000).default(256),
  })
  .strict();

export const loggingSchema = z
  .object({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** One JSON access record per request on stdout. */
    access: z.boolean().default(true),
  })
  .strict();

export const storeSchema = z
  .object({
    /** `embedded`: memory + SQLite in the data dir. `redis`: decisions and counters shared by every node. */
    kind: z.enum(['embedded', 'redis']).default('embedded'),
    redisUrl: z.string().default('redis://127.0.0.1:6379'),
    /** Prefix of every Redis key, so several deployments can share one Redis. */
    redisPrefix: z.string().default('portcullis:'),
  })
  .strict();

export const coreSchemaShape = {
  listen: hostPort.default('127.0.0.1:8080'),
  https: httpsSchema.optional(),
  upstream: upstreamSchema.prefault({}),
  admin: adminSchema.prefault({}),
  mode: z.enum(['enforce', 'monitor']).default('enforce'),
  /** Proxies whose X-Forwarded-For is believed. None by default: loopback and private peers are clients too. */
  trustProxy: z.array(cidr).default([]),
  /** Detector families to switch off, e.g. [sqli, scanning]; names are checked against the registered families. */
  disable: z.array(z.string().min(1)).default([]),
  dataDir: z.string().min(1).default('.portcullis'),
  limits: limitsSchema.prefault({}),
  logging: loggingSchema.prefault({}),
  store: storeSchema.prefault({}),
  shutdown: z
    .object({ drainTimeoutMs: ms(10_000) })
    .strict()
    .prefault({}),
};
