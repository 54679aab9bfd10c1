/**
 * Bench entry: the real gateway (src/gateway.ts) with identity and the behaviour engine wired in (as
 * src/sim/stack.ts does), protecting $UPSTREAM. Prints `{"port":N}` like bench/minimal-proxy.mjs.
 * The load generator is one address sending thousands of requests a second, which *is* a flood: the flood
 * ceilings are lifted so the run measures the cost of every detector rather than the speed of a 403.
 * BEHAVIOUR=off starts the same gateway without the behaviour engine, to isolate its cost.
 */
import { startProtectedStack } from '../src/sim/stack.ts';

const stack = await startProtectedStack({
  upstreamUrl: process.env.UPSTREAM ?? 'http://127.0.0.1:3000',
  behaviour: { flood: { maxPerIp: 1_000_000_000, maxPerPrincipal: 1_000_000_000 } },
  withBehaviour: process.env.BEHAVIOUR !== 'off',
});
process.stdout.write(`${JSON.stringify({ port: Number(new URL(stack.url).port) })}\n`);
process.once('SIGTERM', () => {
  void stack.close().then(() => process.exit(0));
});
