import type { Finding } from '../../core/finding.ts';
import { readBody } from '../body.ts';
import type { RequestContext } from '../context.ts';
import type { Stage } from '../stage.ts';

/** What the detection area's inspector is given: raw request parts, decoded by the inspector itself. */
export interface InspectionInput {
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly headers: RequestContext['req']['headers'];
  readonly body?: Buffer;
  readonly bodyComplete: boolean;
  readonly contentType?: string;
}

export interface Inspector {
  inspect(input: InspectionInput): Finding[];
}

/**
 * inspect: attack signatures over the decoded request (src/detection/). The body is read here, up to
 * `detection.limits.bodyBytes`; what lies beyond streams upstream and the inspector reports the truncation.
 */
export function createInspectStage(inspector: Inspector, inspectBodyBytes: number): Stage {
  const run = (ctx: RequestContext, body: Buffer | undefined) => {
    const contentType = ctx.req.headers['content-type'];
    const input: InspectionInput = {
      method: ctx.method,
      path: ctx.path,
      rawQuery: ctx.rawQuery,
      headers: ctx.req.headers,
      bodyComplete: ctx.body.kind !== 'buffered' || ctx.body.complete,
      ...(body === undefined ? {} : { body }),
      ...(contentType === undefined ? {} : { contentType }),
    };
    const findings = inspector.inspect(input);
    if (findings.length > 0) ctx.findings.push(...findings);
  };
  return {
    name: 'inspect',
    run(ctx: RequestContext) {
      if (ctx.exempt) return;
      if (ctx.body.kind === 'none') return run(ctx, undefined);
      return readBody(ctx, inspectBodyBytes).then((body) => run(ctx, body));
    },
  };
}
