import { runSimulateCommand } from '../src/sim/simulate-command.ts';

// `node --import tsx scripts/sim.ts [--quick] [--json] [--redis] [--url URL]`: see src/sim/simulate-command.ts.
const code = await runSimulateCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
process.exit(code);
