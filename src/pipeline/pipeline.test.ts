import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import { DEFAULT_VERDICT, type Verdict } from '../core/verdict.ts';
import type { RequestContext } from './context.ts';
import { createPipeline } from './pipeline.ts';
import type { Stage, StageName } from './stage.ts';

/** A context without sockets: the runner only reads and writes the context. */
function fakeContext(enforce: boolean): RequestContext {
  return {
    id: 'incident',
    receivedAt: 0,
    req: { headers: {} } as IncomingMessage,
    res: {} as ServerResponse,
    conn: { remoteAddress: '192.0.2.1', remotePort: 1, secure: false },
    method: 'GET',
    path: '/',
    rawQuery: '',
    enforce,
    clientIp: '192.0.2.1',
    facets: [],
    findings: [],
    verdict: DEFAULT_VERDICT,
    exempt: false,
    body: { kind: 'none' },
    timings: {},
    notes: {},
  };
}

function run(
  enforce: boolean,
  stages: Array<[StageName, (ctx: RequestContext) => void | Promise<void>]>,
  pre?: Verdict,
) {
  const trail: string[] = [];
  let ctxOut: RequestContext | undefined;
  const pipeline = createPipeline({
    accept: () => fakeContext(enforce),
    stages: stages.map(
      ([name, fn]): Stage => ({
        name,
        run: (ctx) => {
          trail.push(name);
          return fn(ctx);
        },
      }),
    ),
    record: {
      name: 'record',
      run: (ctx) => {
        ctxOut = ctx;
        trail.push('record');
      },
    },
    respond: (ctx) => trail.push(`respond:${ctx.verdict.action}`),
    onStageError: (_ctx, stage) => trail.push(`error:${stage}`),
  });
  return pipeline.handle({} as IncomingMessage, {} as ServerResponse, false, pre).then(() => ({ trail, ctx: ctxOut! }));
}

const block = (ctx: RequestContext) => {
  ctx.verdict = { action: 'block', reason: 'test' };
};
const noop = () => {};

test('in enforce mode a terminal verdict skips the remaining stages, responds, and still records', async () => {
  const { trail } = await run(true, [
    ['gate', block],
    ['inspect', noop],
    ['forward', noop],
  ]);
  assert.deepEqual(trail, ['gate', 'respond:block', 'record']);
});

test('in monitor mode a terminal verdict is kept as wouldHave and the request goes on', async () => {
  const { trail, ctx } = await run(false, [
    ['gate', block],
    ['inspect', noop],
    ['forward', noop],
  ]);
  assert.deepEqual(trail, ['gate', 'inspect', 'forward', 'record']);
  assert.equal(ctx.wouldHave?.action, 'block');
  assert.equal(ctx.verdict.action, 'watch');
});

test('protocol limits are enforced in monitor mode too', async () => {
  const { trail } = await run(
    false,
    [
      ['gate', noop],
      ['forward', noop],
    ],
    { action: 'block', status: 413, reason: 'too big' },
  );
  assert.deepEqual(trail, ['respond:block', 'record']);
});

test('a tarpit verdict in enforce mode continues to forward (which holds it)', async () => {
  const tarpit = (ctx: RequestContext) => {
    ctx.verdict = { action: 'tarpit', delayMs: 10, reason: 't' };
  };
  const { trail } = await run(true, [
    ['act', tarpit],
    ['forward', noop],
  ]);
  assert.deepEqual(trail, ['act', 'forward', 'record']);
});

test('a stage that throws is reported, the rest are skipped, and record still runs', async () => {
  const { trail } = await run(true, [
    [
      'inspect',
      () => {
        throw new Error('bug');
      },
    ],
    ['forward', noop],
  ]);
  assert.deepEqual(trail, ['inspect', 'error:inspect', 'record']);
});

test('asynchronous stages are awaited in order and timed', async () => {
  const { trail, ctx } = await run(true, [
    ['inspect', () => new Promise((r) => setTimeout(r, 5))],
    ['forward', noop],
  ]);
  assert.deepEqual(trail, ['inspect', 'forward', 'record']);
  assert.ok((ctx.timings.inspect ?? 0) >= 4);
});
