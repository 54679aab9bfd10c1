import type { Verdict } from '../../core/verdict.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { sendProblem } from '../../proxy/problem.ts';
import type { BehaviourConfig } from '../config.ts';
import type { RequestView } from '../request-view.ts';
import type { Challenger } from './challenger.ts';
import { powPage } from './pow.ts';

/**
 * Writes a challenge response. Nothing in it says why (style rule 11): the cookie redirect is a plain 307, the
 * Retry-After probe the same 429 problem+json a rate limit sends, the PoW page a neutral "one moment". Every one
 * carries the incident id.
 */
export function renderChallenge(
  ctx: RequestContext,
  verdict: Verdict & { action: 'challenge' },
  view: RequestView,
  challenger: Challenger,
  config: BehaviourConfig,
): boolean {
  const res = ctx.res;
  if (res.headersSent || res.destroyed) return false;
  switch (verdict.kind) {
    case 'cookie': {
      // 307 keeps the method and body (RFC 9110 §15.4.8), so a login POST is simply repeated with the cookie.
      // The target is our own path, made relative to this origin: `//host` would be an open redirect.
      const target = `/${ctx.path.replace(/^[/\\]+/, '')}${ctx.rawQuery ? `?${ctx.rawQuery}` : ''}`;
      const body = `Redirecting. Incident ${ctx.id}\n`;
      res.writeHead(307, {
        location: target,
        'set-cookie': challenger.issueCookie(view),
        'cache-control': 'no-store',
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'x-portcullis-incident': ctx.id,
      });
      res.end(body);
      return true;
    }
    case 'retry-after': {
      const seconds = challenger.issueRetryAfter(view);
      sendProblem(res, 429, ctx.id, { 'retry-after': String(seconds) });
      return true;
    }
    case 'pow': {
      const difficulty = verdict.difficulty ?? config.challenge.powMinDifficulty;
      const page = powPage({
        token: challenger.issuePow(view, difficulty),
        difficulty,
        cookieName: config.challenge.powCookieName,
        maxAgeSeconds: Math.floor(config.challenge.tokenTtlMs / 1000),
        incidentId: ctx.id,
      });
      res.writeHead(403, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(page.html),
        'content-security-policy': page.csp,
        'cache-control': 'no-store',
        'x-portcullis-incident': ctx.id,
      });
      res.end(page.html);
      return true;
    }
  }
}
