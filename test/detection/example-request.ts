import type { InspectionInput } from '../../src/detection/inspector.ts';
import type { ExampleRequest } from '../../src/detection/rule-schema.ts';

/** Turns a rule example into an inspector input: a bare string is the value of query arg `q`. */
export function exampleToInput(example: string | ExampleRequest): InspectionInput {
  if (typeof example === 'string') {
    return {
      method: 'GET',
      path: '/search',
      rawQuery: `q=${encodeURIComponent(example)}`,
      headers: {
        host: 'api.example.com',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      },
      bodyComplete: true,
    };
  }
  const headers: Record<string, string> = { host: 'api.example.com' };
  for (const [k, v] of Object.entries(example.headers ?? {})) headers[k.toLowerCase()] = v;
  if (example.contentType !== undefined) headers['content-type'] = example.contentType;
  const body = example.body === undefined ? undefined : Buffer.from(example.body, 'utf8');
  return {
    method: example.method ?? (body === undefined ? 'GET' : 'POST'),
    path: example.path ?? '/',
    rawQuery: example.query ?? '',
    headers,
    ...(body !== undefined ? { body } : {}),
    bodyComplete: true,
    ...(example.contentType !== undefined ? { contentType: example.contentType } : {}),
  };
}
