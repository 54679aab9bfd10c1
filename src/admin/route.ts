import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What an admin handler receives: parsed params and query, lazy body access, and who is calling (for audit). */
export interface AdminRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** Identity recorded in the audit log for changes: `admin-token` plus the client address, or the CLI's `--as`. */
  readonly actor: string;
  /** Reads the whole body, refusing past `limit` bytes (PC_ERR_ADMIN_TOO_LARGE → 413). */
  body(limit?: number): Promise<Buffer>;
  /** Parses the body as JSON (PC_ERR_ADMIN_BAD_REQUEST → 400 when it is not). */
  json(limit?: number): Promise<unknown>;
  /** The raw request stream, for streamed bulk uploads. Use either this or body()/json(), never both. */
  readonly raw: IncomingMessage;
}

export type AdminResponse =
  | { readonly status: number; readonly json: unknown; readonly headers?: Record<string, string> }
  | {
      readonly status: number;
      readonly text: string;
      readonly contentType?: string;
      readonly headers?: Record<string, string>;
    }
  | {
      readonly status: number;
      readonly stream: Readable;
      readonly contentType: string;
      readonly headers?: Record<string, string>;
    };

export interface AdminRoute {
  readonly method: HttpMethod;
  /** Path pattern with `:name` segments, e.g. `/api/v1/decisions/:id`. Everything under /api/v1 needs the token. */
  readonly path: string;
  /** One sentence for the route list and docs/admin-api.md. */
  readonly summary: string;
  handler(req: AdminRequest): AdminResponse | Promise<AdminResponse>;
}
