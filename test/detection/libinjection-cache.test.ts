import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { detectionConfigSchema } from '../../src/detection/config.ts';
import { createInspector, type InspectionInput } from '../../src/detection/inspector.ts';

// libddwaf reports each rule once per call, at the first location it matched. The clean-value cache must not take
// the other locations' values for clean: `1 AND 1=1` (only libinjection sees it) once went unseen in a cookie
// after a request that carried it in the query too.
const inspector = createInspector(
  detectionConfigSchema.parse({ paranoia: 1, limits: { timeBudgetMicros: 5_000_000 } }),
);
after(() => inspector.close());

const request = (query: string, cookie: string): InspectionInput => ({
  method: 'GET',
  path: '/items',
  rawQuery: query === '' ? '' : `a=${encodeURIComponent(query)}`,
  headers: { host: 'api.example.com', cookie: `b=${encodeURIComponent(cookie)}` },
  bodyComplete: true,
});

const at = (input: InspectionInput): string[] => inspector.inspect(input).map((f) => `${f.ruleId}@${f.location}`);

test('a libinjection hit in a second location is not cached clean there', () => {
  for (const sqli of ['1 AND 1=1', '-5 OR 2>1']) {
    // Only libinjection finds it: the regex rules do not mark the cookie as matched on their own.
    assert.deepEqual(at(request('', `${sqli} `)), ['sqli.libinjection@cookie.b'], sqli);
    assert.deepEqual(at(request(sqli, sqli)), ['sqli.libinjection@query.a'], sqli);
    assert.deepEqual(at(request('', sqli)), ['sqli.libinjection@cookie.b'], `${sqli} alone, after`);
  }
});
