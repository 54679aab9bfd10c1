#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unsupportedNodeReason } from '../core/node-support.ts';
import { PACKAGE_ROOT } from '../core/package-root.ts';
import { runSimulateCommand } from '../sim/simulate-command.ts';
import { runDecisionsCommand, runExplainCommand } from './decisions-command.ts';
import { runDemoCommand } from './demo-command.ts';
import { runGoodBotsCommand } from './goodbots-command.ts';
import { MAIN_HELP } from './help.ts';
import { runReplayCommand } from './replay-command.ts';
import { type Io, runStartCommand } from './start-command.ts';

type Command = (args: string[], io: Io) => Promise<number>;

/** Commands by name; each lives in its own module and returns its exit code. */
const COMMANDS: Record<string, Command> = {
  start: runStartCommand,
  demo: runDemoCommand,
  decisions: runDecisionsCommand,
  explain: runExplainCommand,
  replay: runReplayCommand,
  simulate: runSimulateCommand,
  goodbots: runGoodBotsCommand,
};

/** Commands that run a gateway, and so open its SQLite stores: they refuse a Node.js line that aborts under them. */
const RUNS_GATEWAY = new Set(['start', 'demo']);

function version(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '-v' || name === '--version') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr.write(`portcullis: unknown command "${name}"; run \`portcullis --help\` for the list\n`);
    return 2;
  }
  const nodeProblem = RUNS_GATEWAY.has(name) ? unsupportedNodeReason(process.versions.node) : undefined;
  if (nodeProblem !== undefined) {
    io.stderr.write(`PC_ERR_NODE_UNSUPPORTED: ${nodeProblem}\n`);
    return 1;
  }
  return command(args, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`portcullis: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
