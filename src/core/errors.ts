/**
 * Every error Portcullis reports to an operator has a stable code and says what to do about it.
 * Codes are `PC_ERR_<AREA>_<WHAT>`; docs/errors.md lists the same set and `errors.test.ts` keeps the two in step.
 * Add a code to the section of your area, then a line to docs/errors.md.
 */
export const ERROR_CODES = {
  // --- config
  PC_ERR_CONFIG_INVALID: 'The configuration has errors; each is listed as file:key: what is wrong, what to do.',
  PC_ERR_CONFIG_READ: 'The configuration file could not be read; check the path and its permissions.',
  PC_ERR_CONFIG_PARSE: 'The configuration file is not valid YAML; fix the syntax at the reported line.',
  PC_ERR_CONFIG_FLAG: 'A command-line flag is unknown or its value is malformed; see `portcullis start --help`.',
  PC_ERR_NODE_UNSUPPORTED:
    'This Node.js version cannot run a gateway (see the message for why); run Node.js 22 or 20 (20.11 or later).',
  // --- server / proxy
  PC_ERR_SERVER_LISTEN: 'A listener could not bind its address; pick a free port or stop the other process.',
  PC_ERR_SERVER_TLS: 'The TLS certificate or key could not be loaded; check the file paths and that they match.',
  PC_ERR_UPSTREAM_UNREACHABLE: 'The upstream refused or could not be reached; the client got a 502.',
  PC_ERR_UPSTREAM_TIMEOUT:
    'The upstream did not answer in time; the client got a 504. Raise upstream.timeoutMs or fix it.',
  PC_ERR_REQUEST_TOO_LARGE: 'A request body exceeded limits.maxBodyBytes; the client got a 413.',
  PC_ERR_REQUEST_MALFORMED: 'A request could not be parsed as HTTP; the client got a 400.',
  // --- data dir / admin
  PC_ERR_DATA_DIR: 'The data directory could not be created or written; check --data-dir and its permissions.',
  PC_ERR_ADMIN_AUTH:
    'The admin API needs `Authorization: Bearer <token>`; the token is in the data dir or PORTCULLIS_ADMIN_TOKEN.',
  PC_ERR_ADMIN_NOT_FOUND: 'No admin API route matches this method and path; see docs/admin-api.md.',
  PC_ERR_ADMIN_BAD_REQUEST: 'The admin API request is malformed; the message names the field to fix.',
  PC_ERR_ADMIN_TOO_LARGE: 'The admin API request body is larger than allowed; split it or raise admin.maxBodyBytes.',
  PC_ERR_ADMIN_INTERNAL: 'The admin API hit an unexpected error; the gateway log has the stack with the same time.',
  PC_ERR_ADMIN_UNAVAILABLE: 'The admin API could not be reached; start the gateway or pass --admin-url and a token.',
  // --- events
  PC_ERR_EVENTS_WRITE: 'Events could not be written to the data dir; they are kept in memory and retried.',
  // --- decisions
  PC_ERR_DECISIONS_STORE:
    'The decision store (data dir decisions.sqlite) could not be opened or written; check the disk and permissions.',
  PC_ERR_DECISIONS_INVALID: 'A decision is malformed; the message names the field (kind, value, action, ttl) to fix.',
  PC_ERR_DECISIONS_NOT_FOUND: 'No active decision has this id; it was removed or expired. Search to find it again.',
  PC_ERR_DECISIONS_IMPORT_FORMAT:
    'The import format is unknown or could not be detected; pass ?format=text|csv|json|netset|drop|crowdsec.',
  PC_ERR_DECISIONS_IMPORT_TOO_LARGE:
    'The import upload is larger than decisions.importMaxBytes; split the file or raise the limit.',
  PC_ERR_DECISIONS_FILTER:
    'A bulk delete needs at least one filter, and `confirm=<count>` equal to the dry-run count, to proceed.',
  PC_ERR_DECISIONS_IDS_EXHAUSTED:
    'Decision ids would pass d4294967295 (uint32 in the gate); the write was refused. Export, move decisions.sqlite aside, re-import.',
  // --- detection
  PC_ERR_DETECTION_RULES:
    'A detection rule file is invalid; the message names the file and rule. Fix it or remove the file from rules/.',
  PC_ERR_DETECTION_ENGINE:
    'The libddwaf engine rejected the compiled ruleset or could not load; reinstall @datadog/native-appsec.',
  // --- identity
  PC_ERR_IDENTITY_JWT_KEY:
    'identity.jwt.keyFile or identity.jwt.jwksFile could not be read or parsed; fix the path or the PEM/JWKS content.',
  PC_ERR_IDENTITY_BOT_RANGES:
    'A good-bot range file in identity.goodBots.rangesDir is not valid JSON or text; re-download it (see its README).',
  PC_ERR_IDENTITY_SALT:
    'The identity hash salt could not be read or created in the data dir; fix its permissions or set identity.hashSalt.',
  // --- behaviour
  PC_ERR_BEHAVIOUR_DECISION_WRITE:
    'A behaviour block could not be stored in the decision store; the request was still refused. Check the store.',
  PC_ERR_BEHAVIOUR_COUNTERS_UNREACHABLE:
    'Redis for shared counters is unreachable; each node keeps judging on its own counts. Check store.redisUrl.',
  PC_ERR_BEHAVIOUR_CHALLENGE_KEY:
    'The challenge key (data dir challenge.key) could not be read or created; check the data dir permissions.',
  // --- cluster (redis)
  PC_ERR_CLUSTER_UNREACHABLE:
    'Redis for shared decisions is unreachable; this node serves and accepts decisions locally and sends them later. Check store.redisUrl.',
  PC_ERR_CLUSTER_QUEUE_FULL:
    'Too many decision changes waited for Redis (decisions.clusterQueueMax); the node resends its whole set when Redis is back.',
  PC_ERR_CLUSTER_BAD_CHANGE:
    'A change read from the Redis stream could not be parsed and was skipped; check that every node runs the same version.',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class PortcullisError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PortcullisError';
    this.code = code;
    if (options?.details !== undefined) this.details = options.details;
  }
}

export function isPortcullisError(e: unknown): e is PortcullisError {
  return e instanceof PortcullisError;
}
