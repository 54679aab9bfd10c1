/**
 * End-to-end import of a large list through the real admin API, then a restart's reload of the same set.
 *
 *   node --import tsx --expose-gc bench/decisions-import.ts [--lines 10000000]
 *
 * 1. writes a text list (95 % distinct IPv4 addresses, 4 % v4 CIDRs, 1 % v6 CIDRs) to a temp dir;
 * 2. starts the admin server with the decision routes on a fresh data dir and streams the file to
 *    POST /api/v1/decisions/import (undici, like `portcullis decisions import`); the clock stops when the API
 *    answers, i.e. when every batch is committed with synchronous=FULL (durable);
 * 3. closes the service, then opens the data dir in a fresh child process (`--reload DIR`): that is the restart
 *    reload (streamed), and its RSS after a full GC is what a restarted gateway holds for the set.
 * Prints one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { request } from 'undici';
import { AdminRouter } from '../src/admin/router.ts';
import { createAdminServer } from '../src/admin/server.ts';
import { systemClock } from '../src/core/clock.ts';
import { formatV4 } from '../src/decisions/addr.ts';
import { decisionsConfigSchema } from '../src/decisions/config.ts';
import { decisionRoutes } from '../src/decisions/routes.ts';
import { openDecisionService } from '../src/decisions/service.ts';
import { EventBus } from '../src/events/bus.ts';

const open = (dataDir: string) =>
  openDecisionService({
    dataDir,
    clock: systemClock,
    events: new EventBus(),
    config: decisionsConfigSchema.parse({ importMaxBytes: 4 * 1024 ** 3 }),
  });
const gc = () => (globalThis as { gc?: () => void }).gc?.();

const reloadDir = process.argv.indexOf('--reload');
if (reloadDir !== -1) {
  // The child: a restart. Reload, GC, report, exit.
  const t = performance.now();
  const svc = await open(process.argv[reloadDir + 1]!);
  const reloadMs = performance.now() - t;
  gc();
  gc();
  const entries = svc.stats().gateEntries;
  const m = process.memoryUsage();
  await svc.close();
  const mib = (n: number) => Math.round(n / 2 ** 20);
  console.log(
    JSON.stringify({
      reloadMs: Math.round(reloadMs),
      entries,
      rssMiB: mib(m.rss),
      heapTotalMiB: mib(m.heapTotal),
      arrayBuffersMiB: mib(m.arrayBuffers),
    }),
  );
  process.exit(0);
}

const i = process.argv.indexOf('--lines');
const LINES = i === -1 ? 10_000_000 : Number(process.argv[i + 1]);
const work = mkdtempSync(join(tmpdir(), 'pc-bench-import-'));
const file = join(work, 'list.txt');
const dataDir = join(work, 'data');

async function writeList(): Promise<void> {
  const out = createWriteStream(file);
  let buf = '';
  for (let n = 0; n < LINES; n++) {
    const r = n % 100;
    if (r < 95) buf += `${formatV4(Math.imul(n + 1, 0x9e3779b1) >>> 0)}\n`;
    else if (r < 99) buf += `${formatV4(Math.imul(n + 7, 0x85ebca6b) & 0xffffff00)}/${20 + (n % 5)}\n`;
    else buf += `2001:db8:${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}::/64\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.once('finish', () => r()));
}

await writeList();
const size = statSync(file).size;
const service = await open(dataDir);
const router = new AdminRouter();
router.add(decisionRoutes(service));
const server = createAdminServer({
  router,
  token: 'bench-token-0123456789',
  registry: new Registry(),
  maxBodyBytes: 1 << 20,
  isReady: () => true,
});
// Node's default requestTimeout (300 s) would cut a multi-minute upload; the gateway's admin server must lift it
// for the import route too (reported to the gateway core).
server.requestTimeout = 0;
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const t0 = performance.now();
const res = await request(`${url}/api/v1/decisions/import?format=text&name=bench`, {
  method: 'POST',
  headers: { authorization: 'Bearer bench-token-0123456789', 'content-length': String(size) },
  body: createReadStream(file, { highWaterMark: 1 << 20 }),
  headersTimeout: 0,
  bodyTimeout: 0,
});
const report = (await res.body.json()) as { accepted: number; rejected: number };
const importMs = performance.now() - t0;
const rssAfterImport = process.memoryUsage().rss;
server.close();
await service.close();

const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--reload', dataDir], {
  encoding: 'utf8',
});
if (child.status !== 0) throw new Error(`reload child failed: ${child.stderr}`);
const restart = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
  reloadMs: number;
  entries: number;
  rssMiB: number;
  heapTotalMiB: number;
  arrayBuffersMiB: number;
};
const dbBytes = statSync(join(dataDir, 'decisions.sqlite')).size;
// --keep leaves the data dir for a reload by another build (`--reload DIR`, e.g. an older checkout's).
if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });

console.log(
  JSON.stringify(
    {
      bench: 'decisions-import',
      node: process.version,
      lines: LINES,
      fileMiB: Math.round(size / 2 ** 20),
      status: res.statusCode,
      accepted: report.accepted,
      rejected: report.rejected,
      importMs: Math.round(importMs),
      importLinesPerSec: Math.round(LINES / (importMs / 1000)),
      reloadMs: restart.reloadMs,
      gateEntriesAfterReload: restart.entries,
      rssAfterImportMiB: Math.round(rssAfterImport / 2 ** 20),
      rssRestartedMiB: restart.rssMiB,
      restartedHeapTotalMiB: restart.heapTotalMiB,
      restartedArrayBuffersMiB: restart.arrayBuffersMiB,
      sqliteMiB: Math.round(dbBytes / 2 ** 20),
      ...(process.argv.includes('--keep') ? { dataDir } : {}),
    },
    null,
    2,
  ),
);
