import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Verdict } from '../core/verdict.ts';
import type { RequestContext } from './context.ts';
import type { Stage } from './stage.ts';

/**
 * The request path, top to bottom:
 *
 *   accept → identify → gate → inspect → profile → score → act → forward → observe → record
 *
 * Each stage reads and writes the request context. A stage that reaches a terminal verdict (block, challenge)
 * ends the path: the verdict's response is written and only `record` runs. In monitor mode a terminal verdict is
 * kept as `wouldHave` and the request goes on to the upstream. Protocol limits (a block with its own status, e.g.
 * 413) are enforced in both modes. `record` always runs, even after a bug in a stage.
 */
export interface PipelineParts {
  accept(
    req: IncomingMessage,
    res: ServerResponse,
    hasBody: boolean,
    upgrade?: RequestContext['upgrade'],
  ): RequestContext;
  /** identify … observe, in order; stages of disabled areas are simply absent. */
  readonly stages: readonly Stage[];
  readonly record: Stage;
  /** Writes the response of a terminal verdict (block page, challenge). */
  respond(ctx: RequestContext): void;
  /** A stage threw: a bug, not a verdict. The pipeline answers 500 and records it. */
  onStageError(ctx: RequestContext, stage: string, error: unknown): void;
}

function isProtocolLimit(v: Verdict): boolean {
  return v.action === 'block' && v.status !== undefined && v.status !== 403;
}

/** Decides what a verdict just produced by a stage means for the rest of the path; true = stop here. */
function settle(ctx: RequestContext): boolean {
  const v = ctx.verdict;
  if (v.action !== 'block' && v.action !== 'challenge' && v.action !== 'tarpit') return false;
  if (!ctx.enforce && !isProtocolLimit(v)) {
    ctx.wouldHave ??= v;
    ctx.verdict = { action: 'watch', reason: `monitor mode: would ${v.action} (${v.reason})` };
    return false;
  }
  return v.action !== 'tarpit';
}

export function createPipeline(parts: PipelineParts) {
  const { stages, record } = parts;

  async function run(ctx: RequestContext): Promise<void> {
    let stageName = 'accept';
    try {
      if (settle(ctx)) {
        parts.respond(ctx);
        return;
      }
      for (const stage of stages) {
        stageName = stage.name;
        const t0 = performance.now();
        const pending = stage.run(ctx);
        if (pending !== undefined) await pending;
        ctx.timings[stage.name] = performance.now() - t0;
        if (settle(ctx)) {
          parts.respond(ctx);
          return;
        }
      }
    } catch (error) {
      parts.onStageError(ctx, stageName, error);
    } finally {
      try {
        const t0 = performance.now();
        record.run(ctx);
        ctx.timings.record = performance.now() - t0;
      } catch (error) {
        parts.onStageError(ctx, 'record', error);
      }
    }
  }

  return {
    /** Entry point for a plain request; `preVerdict` carries a limit found while accepting (e.g. 413). */
    handle(req: IncomingMessage, res: ServerResponse, hasBody: boolean, preVerdict?: Verdict): Promise<void> {
      const ctx = parts.accept(req, res, hasBody);
      if (preVerdict !== undefined) ctx.verdict = preVerdict;
      return run(ctx);
    },
    /** Entry point for an `Upgrade:` request (WebSocket); forward tunnels the socket. */
    handleUpgrade(req: IncomingMessage, res: ServerResponse, socket: Duplex, head: Buffer): Promise<void> {
      return run(parts.accept(req, res, false, { socket, head }));
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
