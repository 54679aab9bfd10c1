import type { InspectionInput } from '../src/detection/inspector.ts';

/** One line of a labelled corpus (format: ../shared/corpus/README.md). */
export interface CorpusCase {
  readonly source?: string;
  readonly id: string;
  readonly label: 'attack' | 'benign';
  readonly category: string;
  readonly request: {
    readonly method: string;
    readonly path: string;
    readonly query: string;
    readonly headers: Record<string, string>;
    readonly body: string;
  };
  readonly meta?: { readonly paranoia_level?: number; readonly fp_probe?: boolean; readonly [k: string]: unknown };
}

export function parseCorpus(text: string): CorpusCase[] {
  return text
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as CorpusCase);
}

/** The request as the gateway's inspect stage would hand it over (header names lower-cased, as node does). */
export function caseToInput(c: CorpusCase): InspectionInput {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.request.headers ?? {})) headers[k.toLowerCase()] = String(v);
  const body = c.request.body ? Buffer.from(c.request.body, 'utf8') : undefined;
  const ct = headers['content-type'];
  return {
    method: c.request.method || 'GET',
    path: c.request.path || '/',
    rawQuery: c.request.query ?? '',
    headers,
    ...(body !== undefined ? { body } : {}),
    bodyComplete: true,
    ...(ct !== undefined ? { contentType: ct } : {}),
  };
}
