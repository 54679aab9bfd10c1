import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, runCli, startCliGateway } from '../helpers/cli.ts';
import { startTestUpstream, type TestUpstream } from '../helpers/upstream.ts';

const ATTACK = "/echo?q=1'%20UNION%20SELECT%20password%20FROM%20users--";

interface EventsPage {
  events: Array<{
    type: string;
    incidentId?: string;
    action?: string;
    enforced?: boolean;
    path?: string;
    findings?: Array<{ ruleId: string }>;
  }>;
}

let upstream: TestUpstream;
before(async () => {
  upstream = await startTestUpstream();
});
after(async () => {
  await upstream.close();
});

describe('enforce and monitor mode', () => {
  test('enforce mode blocks with 403 problem+json whose incident id is in the event log', async () => {
    const gw = await startCliGateway(['--upstream', upstream.url, '--mode', 'enforce']);
    try {
      const before = upstream.seen.length;
      const res = await fetch(gw.url + ATTACK);
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      const body = (await res.json()) as { incident: string; detail: string };
      // The client learns nothing about why.
      assert.doesNotMatch(JSON.stringify(body), /sql|union|rule/i);
      assert.equal(upstream.seen.length, before, 'the attack never reached the upstream');
      const event = await eventually(async () => {
        const page = (await (await gw.admin(`/api/v1/events?incident=${body.incident}`)).json()) as EventsPage;
        return page.events[0];
      });
      assert.equal(event.action, 'block');
      assert.equal(event.enforced, true);
      assert.ok(event.findings?.some((f) => f.ruleId.startsWith('sqli.')));
      const access = await eventually(() => gw.logs().find((l) => l.incident === body.incident));
      assert.equal(access.status, 403);
    } finally {
      await gw.stop();
    }
  });

  test('monitor mode forwards the request and records what enforce mode would have done', async () => {
    const gw = await startCliGateway(['--upstream', upstream.url, '--mode', 'monitor']);
    try {
      const res = await fetch(gw.url + ATTACK);
      assert.equal(res.status, 200);
      assert.ok(upstream.seen.some((r) => r.url.startsWith('/echo?q=1') && /UNION/.test(r.url)));
      const event = await eventually(async () => {
        const page = (await (await gw.admin('/api/v1/events?type=request')).json()) as EventsPage;
        return page.events.find((e) => e.path === '/echo');
      });
      assert.equal(event.action, 'block');
      assert.equal(event.enforced, false);
    } finally {
      await gw.stop();
    }
  });

  test('a disabled family does not act, and the rest still does', async () => {
    const gw = await startCliGateway(['--upstream', upstream.url, '--disable', 'sqli']);
    try {
      const sqli = await fetch(gw.url + ATTACK);
      assert.equal(sqli.status, 200);
      await sqli.arrayBuffer();
      const xss = await fetch(`${gw.url}/echo?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E`);
      assert.equal(xss.status, 403);
    } finally {
      await gw.stop();
    }
  });

  test('an unknown family is a configuration error', async () => {
    const r = await runCli([
      'start',
      '--upstream',
      upstream.url,
      '--disable',
      'sqlii',
      '--listen',
      '127.0.0.1:0',
      '--admin',
      '127.0.0.1:0',
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown detector family "sqlii"/);
  });
});
