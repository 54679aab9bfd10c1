import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { formatReport } from './report.ts';
import { DEFAULT_PLAN, runSimulation, type SimPlan } from './run.ts';

/**
 * `portcullis simulate [--url URL] [--redis] [--quick] [--json]` (also `npm run sim`): runs the simulator.
 * Without --url it starts the demo API and a gateway with every detector on in a child process (so the
 * clients and the gateway use separate cores) and targets it; with --url it targets a running gateway, whose
 * demo API must be the bundled one (the stolen-credential list is built from its seed data).
 */
/** Same shape as the CLI's (src/cli/start-command.ts), so `main.ts` can register this command as is. */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

const USAGE = 'usage: portcullis simulate [--url http://127.0.0.1:8080] [--redis] [--quick] [--json]';

export const QUICK_PLAN: SimPlan = {
  legit: { browsers: 20, mobiles: 10, officeUsers: 10, partners: 1 },
  campaigns: {
    ...DEFAULT_PLAN.campaigns,
    stuffing: [400, 200, 200],
    scrapers: 10,
    scrapeDepth: 30,
    scanPaths: 40,
    injections: 20,
    flood: 1000,
  },
  minDurationMs: 40_000,
};

export async function runSimulateCommand(args: string[], io: Io): Promise<number> {
  const out = (t: string) => io.stdout.write(t);
  const err = (t: string) => io.stderr.write(t);
  const known = new Set(['--url', '--redis', '--quick', '--json', '--help']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!known.has(a)) {
      err(`PC_ERR_CONFIG_FLAG: unknown option ${a}\n${USAGE}\n`);
      return 2;
    }
    if (a === '--url') i++;
  }
  if (args.includes('--help')) {
    out(`${USAGE}\n`);
    return 0;
  }
  const plan = args.includes('--quick') ? QUICK_PLAN : DEFAULT_PLAN;
  const urlAt = args.indexOf('--url');
  let url = urlAt >= 0 ? args[urlAt + 1] : undefined;
  let stop: (() => Promise<string>) | undefined;
  if (url === undefined) {
    const entry = fileURLToPath(new URL('./stack-main.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', entry, ...(args.includes('--redis') ? ['--redis'] : [])],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) {
      err('the gateway for the simulation did not start\n');
      return 1;
    }
    url = (JSON.parse(first.value) as { url: string }).url;
    stop = async () => {
      child.kill('SIGTERM');
      const last = await lines.next();
      return last.done ? '' : last.value;
    };
  }
  err(`simulating against ${url}\n`);
  try {
    const report = await runSimulation(url, plan, (line) => err(`${line}\n`));
    const stats = stop ? await stop() : '';
    stop = undefined;
    if (args.includes('--json'))
      out(`${JSON.stringify({ ...report, gateway: stats ? JSON.parse(stats) : undefined }, null, 2)}\n`);
    else out(`${formatReport(report)}\n`);
    return 0;
  } finally {
    await stop?.();
  }
}
