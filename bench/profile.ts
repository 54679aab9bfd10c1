/**
 * `node --import tsx bench/profile.ts [case] [GET|POST] [seconds]`: runs one gateway case of bench/run.ts under
 * the benchmark's load with V8's CPU profiler on, and prints where the gateway's time goes, as JSON: self time per
 * function and per source file, as shares of all samples. For finding what to optimise, not for targets.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addGatewayNodeArgs, portcullisCore, portcullisFull, portcullisInspect } from './cases.ts';
import { GET, load, pinSelf, POST, round, spawnPinned, stopChild } from './harness.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const CASES = { 'portcullis-core': portcullisCore, 'portcullis-inspect': portcullisInspect, portcullis: portcullisFull };
const caseName = (process.argv[2] ?? 'portcullis') as keyof typeof CASES;
const workload = process.argv[3] === 'POST' ? POST : GET;
const seconds = Number(process.argv[4] ?? 8);
const TOP = Number(process.env.PROFILE_TOP ?? 40);

function shorten(url: string): string {
  const i = url.indexOf('/src/');
  if (i >= 0) return url.slice(i + 1);
  const n = url.lastIndexOf('node_modules/');
  if (n >= 0) return url.slice(n + 'node_modules/'.length);
  return url || '(native)';
}

function summarise(profile: Profile): unknown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfCount = new Map<number, number>();
  for (const s of profile.samples) selfCount.set(s, (selfCount.get(s) ?? 0) + 1);
  const total = profile.samples.length;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, count] of selfCount) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = shorten(url);
    const fn = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + count);
    byFile.set(file, (byFile.get(file) ?? 0) + count);
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([k, v]) => [k, round((100 * v) / total, 1)]);
  return { samples: total, selfPercentByFile: top(byFile), selfPercentByFunction: top(byFunction) };
}

/** Mean time per request of each pipeline stage, in microseconds, from the gateway's own histogram. */
async function stageMeansFromMetrics(adminUrl: string): Promise<Record<string, number>> {
  const res = await fetch(`${adminUrl}/metrics`, { headers: { authorization: 'Bearer bench-token-0123456789' } });
  const text = await res.text();
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^portcullis_stage_duration_seconds_(sum|count)\{stage="(\w+)"\} (\S+)$/gm)) {
    (m[1] === 'sum' ? sums : counts).set(m[2]!, Number(m[3]));
  }
  return Object.fromEntries(
    [...sums].filter(([k]) => (counts.get(k) ?? 0) > 0).map(([k, v]) => [k, round((v / counts.get(k)!) * 1e6, 1)]),
  );
}

async function main(): Promise<void> {
  let stageMeans: Record<string, number> = {};
  pinSelf(1);
  const profileDir = mkdtempSync(join(tmpdir(), 'pc-profile-'));
  const upstream = await spawnPinned(1, ['bench/upstream.mjs']);
  const bench = CASES[caseName];
  addGatewayNodeArgs('--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...(process.env.PROFILE_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const started = await bench.start(`http://127.0.0.1:${upstream.port}`);
  try {
    await load(started.url, workload, { durationS: Number(process.env.PROFILE_WARMUP_S ?? 2), connections: 32 });
    const m = await load(started.url, workload, { durationS: seconds, connections: 32 });
    process.stderr.write(`${caseName} ${workload.name}: ${Math.round(m.rps)} req/s\n`);
    stageMeans = await stageMeansFromMetrics(started.adminUrl!);
    if (process.env.PROFILE_STATS) {
      const r = await fetch(`${started.adminUrl}${process.env.PROFILE_STATS}`, {
        headers: { authorization: 'Bearer bench-token-0123456789' },
      });
      process.stderr.write(`${process.env.PROFILE_STATS}: ${await r.text()}\n`);
    }
  } finally {
    await started.stop();
    await stopChild(upstream.child);
  }
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  const largest = files
    .map((f) => ({ f, size: readFileSync(join(profileDir, f)).length }))
    .sort((a, b) => b.size - a.size)[0];
  if (!largest) throw new Error(`no CPU profile written to ${profileDir}: did the gateway exit cleanly?`);
  const profile = JSON.parse(readFileSync(join(profileDir, largest.f), 'utf8')) as Profile;
  process.stdout.write(`${JSON.stringify({ case: caseName, workload: workload.name, profile: join(profileDir, largest.f), stageMeanMicros: stageMeans, ...(summarise(profile) as object) }, null, 1)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
