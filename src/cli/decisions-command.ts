import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { Decision } from '../core/decision.ts';
import { AdminClient, AdminClientError, resolveConnection } from './admin-client.ts';
import { DECISIONS_HELP, EXPLAIN_HELP } from './decisions-help.ts';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const CONNECTION = {
  'admin-url': { type: 'string' },
  token: { type: 'string' },
  'data-dir': { type: 'string' },
  as: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FILTERS = {
  kind: { type: 'string' },
  value: { type: 'string' },
  contains: { type: 'string' },
  action: { type: 'string' },
  reason: { type: 'string' },
  source: { type: 'string' },
  since: { type: 'string' },
  before: { type: 'string' },
  'expiring-before': { type: 'string' },
} as const;

type Values = Record<string, string | boolean | undefined>;

function filterQuery(v: Values): URLSearchParams {
  const q = new URLSearchParams();
  const map: Record<string, string> = {
    since: 'createdSince',
    before: 'createdBefore',
    'expiring-before': 'expiringBefore',
  };
  for (const k of Object.keys(FILTERS)) {
    const val = v[k];
    if (typeof val === 'string') q.set(map[k] ?? k, val);
  }
  return q;
}

function client(v: Values): AdminClient {
  return new AdminClient(
    resolveConnection({
      adminUrl: v['admin-url'] as string | undefined,
      token: v['token'] as string | undefined,
      dataDir: v['data-dir'] as string | undefined,
      as: v['as'] as string | undefined,
    }),
  );
}

function line(d: Decision): string {
  const exp = d.expiresAt === undefined ? 'never' : new Date(d.expiresAt).toISOString();
  return `${d.id}\t${d.action}\t${d.kind}\t${d.value}\t${exp}\t${d.source}\t${d.reason}\n`;
}

/** `portcullis decisions add|remove|search|import|export …` — exit 0 ok, 1 failed, 2 usage, 3 import had rejects. */
export async function runDecisionsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(DECISIONS_HELP);
    return sub === undefined ? 2 : 0;
  }
  const handler = SUBCOMMANDS[sub];
  if (handler === undefined) {
    io.stderr.write(`portcullis decisions: unknown subcommand "${sub}"; see \`portcullis decisions --help\`\n`);
    return 2;
  }
  return run(io, () => handler(rest, io));
}

async function run(io: Io, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AdminClientError) {
      io.stderr.write(`portcullis: ${e.message}\n`);
      return 1;
    }
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`portcullis: ${(e as Error).message}; see --help\n`);
      return 2;
    }
    throw e;
  }
}

const SUBCOMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  async add(args, io) {
    const { values: v, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...CONNECTION,
        kind: { type: 'string' },
        action: { type: 'string' },
        ttl: { type: 'string' },
        reason: { type: 'string' },
      },
    });
    if (v.help || positionals.length !== 1) return usage(io, v.help, 'add takes one value: an IP, CIDR or facet value');
    const d = await client(v).call<Decision>('POST', '/api/v1/decisions', {
      json: { value: positionals[0], kind: v.kind, action: v.action, ttl: v.ttl, reason: v.reason },
    });
    io.stdout.write(v.json ? `${JSON.stringify(d)}\n` : line(d));
    return 0;
  },

  async remove(args, io) {
    const { values: v, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...CONNECTION, ...FILTERS, yes: { type: 'boolean' }, why: { type: 'string' } },
    });
    if (v.help) return usage(io, true, '');
    const c = client(v);
    if (positionals.length === 1) {
      const r = await c.call<{ removed: Decision }>(
        'DELETE',
        `/api/v1/decisions/${encodeURIComponent(positionals[0]!)}`,
        {
          query: { why: v.why },
        },
      );
      io.stdout.write(v.json ? `${JSON.stringify(r)}\n` : `removed ${line(r.removed)}`);
      return 0;
    }
    const q = filterQuery(v);
    if ([...q.keys()].length === 0) return usage(io, false, 'remove takes a decision id, or filters for a bulk delete');
    q.set('dryRun', 'true');
    const dry = await c.call<{ count: number }>('DELETE', '/api/v1/decisions', { query: q });
    if (!v.yes) {
      io.stdout.write(`${dry.count} decision(s) match; run again with --yes to delete them\n`);
      return 0;
    }
    q.delete('dryRun');
    q.set('confirm', String(dry.count));
    if (v.why !== undefined) q.set('why', v.why);
    const r = await c.call<{ removed: number }>('DELETE', '/api/v1/decisions', { query: q });
    io.stdout.write(`removed ${r.removed} decision(s)\n`);
    return 0;
  },

  async search(args, io) {
    const { values: v } = parseArgs({
      args,
      options: {
        ...CONNECTION,
        ...FILTERS,
        limit: { type: 'string' },
        cursor: { type: 'string' },
        all: { type: 'boolean' },
      },
    });
    if (v.help) return usage(io, true, '');
    const q = filterQuery(v);
    if (v.limit !== undefined) q.set('limit', v.limit);
    let cursor = v.cursor;
    const c = client(v);
    do {
      if (cursor !== undefined) q.set('cursor', cursor);
      const page = await c.call<{ items: Decision[]; nextCursor?: string }>('GET', '/api/v1/decisions', { query: q });
      for (const d of page.items) io.stdout.write(v.json ? `${JSON.stringify(d)}\n` : line(d));
      cursor = page.nextCursor;
      if (!v.all && cursor !== undefined) io.stderr.write(`more: --cursor ${cursor}\n`);
    } while (v.all && cursor !== undefined);
    return 0;
  },

  async import(args, io) {
    const { values: v, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...CONNECTION,
        format: { type: 'string' },
        name: { type: 'string' },
        action: { type: 'string' },
        ttl: { type: 'string' },
        reason: { type: 'string' },
      },
    });
    if (v.help || positionals.length !== 1) return usage(io, v.help, 'import takes one file (or - for stdin)');
    const file = positionals[0]!;
    const body = file === '-' ? process.stdin : createReadStream(file);
    const size = file === '-' ? undefined : statSync(file).size;
    const format = v.format ?? guessFormat(file);
    const r = await client(v).call<ImportReportView>('POST', '/api/v1/decisions/import', {
      query: { format, name: v.name, action: v.action, ttl: v.ttl, reason: v.reason },
      body,
      contentType: 'application/octet-stream',
      ...(size === undefined ? {} : { contentLength: size }),
    });
    if (v.json) io.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      io.stdout.write(
        `${r.accepted} accepted, ${r.rejected} rejected of ${r.lines} line(s) (${r.source}, ${r.durationMs} ms)\n`,
      );
      for (const e of r.errors) io.stderr.write(`${file}:${e.line}: ${e.error}\n`);
      if (r.errorsTruncated) io.stderr.write(`(${r.rejected - r.errors.length} more rejected lines not listed)\n`);
    }
    return r.rejected > 0 ? 3 : 0;
  },

  async export(args, io) {
    const { values: v } = parseArgs({
      args,
      options: {
        ...CONNECTION,
        ...FILTERS,
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        name: { type: 'string' },
      },
    });
    if (v.help) return usage(io, true, '');
    const q = filterQuery(v);
    q.set('format', v.format ?? 'plain');
    if (v.name !== undefined) q.set('name', v.name);
    const s = await client(v).stream('GET', '/api/v1/decisions/export', { query: q });
    await pipeline(s, v.output === undefined ? io.stdout : createWriteStream(v.output), {
      end: v.output !== undefined,
    });
    return 0;
  },
};

interface ImportReportView {
  source: string;
  lines: number;
  accepted: number;
  rejected: number;
  errors: { line: number; error: string }[];
  errorsTruncated: boolean;
  durationMs: number;
}

function guessFormat(file: string): string {
  if (file.endsWith('.csv')) return 'csv';
  if (file.endsWith('.json')) return 'json';
  if (file.endsWith('.netset') || file.endsWith('.ipset')) return 'netset';
  if (/drop/i.test(file)) return 'drop';
  return 'text';
}

function usage(io: Io, help: boolean | undefined, message: string): number {
  if (help) {
    io.stdout.write(DECISIONS_HELP);
    return 0;
  }
  io.stderr.write(`portcullis decisions: ${message}; see \`portcullis decisions --help\`\n`);
  return 2;
}

/** `portcullis explain IP [--tls X] [--principal Y] …` */
export async function runExplainCommand(args: string[], io: Io): Promise<number> {
  return run(io, async () => {
    const { values: v, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...CONNECTION,
        tls: { type: 'string' },
        http: { type: 'string' },
        principal: { type: 'string' },
        account: { type: 'string' },
      },
    });
    if (v.help) {
      io.stdout.write(EXPLAIN_HELP);
      return 0;
    }
    if (positionals.length !== 1) {
      io.stderr.write('portcullis explain: pass one IP address; see `portcullis explain --help`\n');
      return 2;
    }
    const e = await client(v).call<{
      summary: string;
      decisions: { explanation: string; wins: boolean; decision: Decision }[];
    }>('GET', '/api/v1/explain', {
      query: { ip: positionals[0], tls: v.tls, http: v.http, principal: v.principal, account: v.account },
    });
    if (v.json) io.stdout.write(`${JSON.stringify(e, null, 2)}\n`);
    else {
      io.stdout.write(`${e.summary}\n`);
      for (const d of e.decisions) {
        io.stdout.write(`${d.wins ? '* ' : '  '}${d.decision.id} ${d.explanation}\n`);
        const ev = d.decision.evidence;
        if (ev !== undefined) io.stdout.write(`    evidence: ${JSON.stringify(ev)}\n`);
      }
    }
    return 0;
  });
}
