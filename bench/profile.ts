/**
 * `node --import tsx bench/profile.ts [case] [GET|POST] [seconds]`: runs one gateway case of bench/run.ts under
 * the benchmark's load and profiles the gateway over the measured window only (after a warm-up in which every
 * one of the 20,000 clients has been seen), through the inspector protocol. Prints JSON: where the CPU
 * goes (self time per file and per function, and inclusive time per pipeline stage, as shares of busy samples),
 * each stage's mean from the gateway's own histogram, and the garbage collector's work. For finding what to
 * optimise, not for targets (those are ratios, bench/run.ts).
 *
 * Env: PROFILE_MODE=cpu|alloc (alloc: bytes allocated per request by function, including objects already
 * collected), PROFILE_WARMUP_S (after every client has been seen once; default 3), PROFILE_TOP (rows per list, default 30), PROFILE_NODE_ARGS (extra
 * Node flags for the gateway, e.g. `--max-semi-space-size=64`), PROFILE_SAVE (a file for the raw profile).
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { WebSocket } from 'undici';
import { addGatewayNodeArgs, portcullis10M, portcullisCore, portcullisFull, portcullisInspect } from './cases.ts';
import { CLIENTS, GET, load, pinSelf, POST, round, spawnPinned, stopChild } from './harness.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface CpuNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
}
interface AllocNode {
  callFrame: CallFrame;
  selfSize: number;
  children: AllocNode[];
}

const CASES = {
  'portcullis-core': portcullisCore,
  'portcullis-inspect': portcullisInspect,
  portcullis: portcullisFull,
  'portcullis-10m': portcullis10M,
};
const caseName = (process.argv[2] ?? 'portcullis') as keyof typeof CASES;
const workload = process.argv[3] === 'POST' ? POST : GET;
const seconds = Number(process.argv[4] ?? 8);
const mode = process.env.PROFILE_MODE === 'alloc' ? 'alloc' : 'cpu';
const TOP = Number(process.env.PROFILE_TOP ?? 30);
const TOKEN = 'bench-token-0123456789';

function where(frame: CallFrame): string {
  const url = frame.url;
  const src = url.lastIndexOf('/src/');
  const mods = url.lastIndexOf('node_modules/');
  const file = src >= 0 ? url.slice(src + 1) : mods >= 0 ? url.slice(mods + 'node_modules/'.length) : url || '(native)';
  return file;
}

function top(m: Map<string, number>, scale: number, digits: number): Array<[string, number]> {
  return [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([k, v]) => [k, round(v * scale, digits)]);
}

function summariseCpu(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const s of profile.samples) self.set(s, (self.get(s) ?? 0) + 1);
  const special = (name: string) =>
    [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === name).reduce((a, [, c]) => a + c, 0);
  const busy = profile.samples.length - special('(idle)');
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, count] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    const file = where(frame);
    byFile.set(file, (byFile.get(file) ?? 0) + count);
    const fn = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + count);
  }
  // Inclusive time of each stage's `run` (src/pipeline/stages/<stage>.*), nested calls counted once.
  const inclusive = new Map<number, number>();
  const total = (id: number): number => {
    const known = inclusive.get(id);
    if (known !== undefined) return known;
    let sum = self.get(id) ?? 0;
    for (const c of byId.get(id)!.children ?? []) sum += total(c);
    inclusive.set(id, sum);
    return sum;
  };
  const stages = new Map<string, number>();
  const visit = (id: number): void => {
    const node = byId.get(id)!;
    const stage = /src\/pipeline\/stages\/([a-z]+)\.[jt]s$/.exec(node.callFrame.url)?.[1];
    if (stage !== undefined && node.callFrame.functionName === 'run') {
      stages.set(stage, (stages.get(stage) ?? 0) + total(id));
      return;
    }
    for (const c of node.children ?? []) visit(c);
  };
  visit(profile.nodes[0]!.id);
  const pct = 100 / busy;
  return {
    busySamples: busy,
    gcPercent: round(special('(garbage collector)') * pct, 1),
    stagePercentInclusive: Object.fromEntries(top(stages, pct, 1)),
    selfPercentByFile: top(byFile, pct, 1),
    selfPercentByFunction: top(byFunction, pct, 1),
  };
}

function summariseAlloc(head: AllocNode, requests: number) {
  const byFunction = new Map<string, number>();
  let sum = 0;
  const walk = (n: AllocNode): void => {
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame)}:${n.callFrame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + n.selfSize);
    sum += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(head);
  return { bytesPerRequest: Math.round(sum / requests), bytesPerRequestByFunction: top(byFunction, 1 / requests, 0) };
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspectorSession(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', reject);
  });
  let next = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.addEventListener('message', (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((resolve) => {
        const id = ++next;
        pending.set(id, resolve as (r: unknown) => void);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function metricsText(adminUrl: string): Promise<string> {
  return (await fetch(`${adminUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
}

/** Mean time per request of each pipeline stage, µs, and GC time, from the gateway's own metrics. */
function fromMetrics(text: string) {
  const series = (re: RegExp) => new Map([...text.matchAll(re)].map((m) => [`${m[1]}|${m[2]}`, Number(m[3])]));
  const stage = series(/^portcullis_stage_duration_seconds_(sum|count)\{stage="(\w+)"\} (\S+)$/gm);
  const gc = series(/^portcullis_process_nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} (\S+)$/gm);
  return { stage, gc };
}

async function main(): Promise<void> {
  pinSelf(1);
  const upstream = await spawnPinned(1, ['bench/upstream.mjs']);
  const port = await freePort();
  addGatewayNodeArgs(`--inspect=127.0.0.1:${port}`, ...(process.env.PROFILE_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const started = await CASES[caseName].start(`http://127.0.0.1:${upstream.port}`);
  const session = await inspectorSession(port);
  try {
    // Every client seen once (the steady state bench/run.ts measures), then a few seconds more for the JIT.
    await load(started.url, workload, { durationS: 1, amount: CLIENTS, connections: 32 });
    await load(started.url, workload, { durationS: Number(process.env.PROFILE_WARMUP_S ?? 3), connections: 32 });
    const before = fromMetrics(await metricsText(started.adminUrl!));
    if (mode === 'cpu') {
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 250 });
      await session.send('Profiler.start');
    } else {
      await session.send('HeapProfiler.enable');
      await session.send('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    }
    const m = await load(started.url, workload, { durationS: seconds, connections: 32 });
    const raw =
      mode === 'cpu'
        ? (await session.send<{ profile: CpuProfile }>('Profiler.stop')).profile
        : (await session.send<{ profile: { head: AllocNode } }>('HeapProfiler.stopSampling')).profile;
    // PROFILE_SAVE=file.cpuprofile keeps the raw profile (Chrome DevTools opens it).
    if (process.env.PROFILE_SAVE) writeFileSync(process.env.PROFILE_SAVE, JSON.stringify(raw));
    const result =
      mode === 'cpu'
        ? summariseCpu(raw as CpuProfile)
        : summariseAlloc((raw as { head: AllocNode }).head, m.rps * seconds);
    const after = fromMetrics(await metricsText(started.adminUrl!));
    const delta = (map: 'stage' | 'gc', kind: 'sum' | 'count', label: string) =>
      (after[map].get(`${kind}|${label}`) ?? 0) - (before[map].get(`${kind}|${label}`) ?? 0);
    const stages = [...after.stage.keys()].filter((k) => k.startsWith('count|')).map((k) => k.slice(6));
    const requests = m.rps * seconds;
    const report = {
      case: caseName,
      workload: workload.name,
      mode,
      requestsPerSecond: Math.round(m.rps),
      stageMeanMicros: Object.fromEntries(
        stages
          .filter((s) => delta('stage', 'count', s) > 0 && s !== 'forward')
          .map((s) => [s, round((delta('stage', 'sum', s) / delta('stage', 'count', s)) * 1e6, 1)]),
      ),
      gcMicrosPerRequest: Object.fromEntries(
        ['minor', 'major', 'incremental'].map((k) => [k, round((delta('gc', 'sum', k) / requests) * 1e6, 2)]),
      ),
      ...result,
    };
    process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
  } finally {
    session.close();
    await started.stop();
    await stopChild(upstream.child);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
