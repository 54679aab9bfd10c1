import { startProtectedStack } from './stack.ts';

/**
 * Child-process entry of the simulator: the gateway and demo API run here, on their own core, while the
 * simulated clients run in the parent. Prints one JSON line with the URLs when ready; on SIGTERM prints the
 * behaviour engine's and decision store's statistics as a second line and exits.
 */
const counters = process.argv.includes('--redis') ? 'redis' : 'memory';
const stack = await startProtectedStack({ counters });
process.stdout.write(`${JSON.stringify({ url: stack.url, adminUrl: stack.adminUrl, counters })}\n`);
process.once('SIGTERM', async () => {
  const stats = { behaviour: stack.engine.stats(), decisions: stack.decisions.stats() };
  process.stdout.write(`${JSON.stringify(stats)}\n`);
  await stack.close();
  process.exit(0);
});
