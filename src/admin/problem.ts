import type { ErrorCode } from '../core/errors.ts';
import type { AdminResponse } from './route.ts';

/** Admin API errors are problem+json with a stable code and a detail that says what to do. */
export function adminProblem(
  status: number,
  code: ErrorCode,
  detail: string,
  extra?: Record<string, unknown>,
): AdminResponse {
  return {
    status,
    json: { type: `https://portcullis.dev/errors#${code}`, title: code, status, code, detail, ...extra },
    headers: { 'content-type': 'application/problem+json' },
  };
}
