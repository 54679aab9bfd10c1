import { createHash } from 'node:crypto';
import { readBody } from '../pipeline/body.ts';
import type { RequestContext } from '../pipeline/context.ts';
import type { Identifier } from '../pipeline/stages/identify.ts';

/**
 * A stand-in for the identity area's Identifier, used by the simulator and tests until src/identity/ ships
 * one: an HTTP fingerprint of header names in arrival order (request-specific names left out, like identity's
 * scheme in docs/fingerprints.md), a principal from the bearer token, and the account from the demo API's JSON
 * login body (`username`). Values are salted hashes, as identity's are.
 */
const VOLATILE = new Set([
  'cookie',
  'authorization',
  'content-length',
  'content-type',
  'transfer-encoding',
  'referer',
  'origin',
]);

function headerOrderFingerprint(rawHeaders: readonly string[]): string {
  const names: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!VOLATILE.has(name)) names.push(name);
  }
  return `s1_${hash('order', names.join(','))}`;
}

const hash = (label: string, value: string): string =>
  createHash('sha256').update(`portcullis-sim:${label}:${value}`).digest('base64url').slice(0, 16);

export function createSimIdentifier(loginPaths: readonly string[] = ['/api/login']): Identifier {
  const logins = new Set(loginPaths);
  return {
    identify(ctx: RequestContext) {
      ctx.facets.push(`http:${headerOrderFingerprint(ctx.req.rawHeaders)}`);
      const auth = ctx.req.headers.authorization;
      if (auth?.startsWith('Bearer ')) ctx.facets.push(`principal:${hash('principal', auth.slice(7))}`);
      if (ctx.method !== 'POST' || !logins.has(ctx.path)) return;
      return readBody(ctx, 4096).then((body) => {
        if (body === undefined) return;
        try {
          const username = (JSON.parse(body.toString('utf8')) as { username?: unknown }).username;
          if (typeof username === 'string' && username.length > 0) {
            ctx.facets.push(`account:${hash('account', username.toLowerCase())}`);
          }
        } catch {
          // Not JSON: no account facet; the login detectors fall back to failure ratios.
        }
      });
    },
  };
}
