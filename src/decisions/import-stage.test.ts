import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { V4Stage } from './import-stage.ts';

const ip = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);

describe('import stage', () => {
  test('rows come out in address order with canonical text, exact addresses before prefixes of one address', () => {
    const st = new V4Stage();
    st.push(ip('203.0.113.7'), undefined, 1);
    st.push(ip('10.0.0.0'), 8, 2);
    st.push(ip('255.255.255.255'), undefined, 3);
    st.push(ip('0.0.0.0'), 0, 4);
    st.push(ip('10.0.0.0'), undefined, 5);
    st.push(ip('10.0.0.0'), 32, 6);
    const out = [...st.drain(100)].flat();
    assert.deepEqual(
      out.map((r) => [r.t.value, r.prof]),
      [
        ['0.0.0.0/0', 4],
        ['10.0.0.0', 5],
        ['10.0.0.0/8', 2],
        ['10.0.0.0/32', 6],
        ['203.0.113.7', 1],
        ['255.255.255.255', 3],
      ],
    );
    const cidr = out[2]!.t;
    assert.ok(cidr.kind === 'cidr' && cidr.family === 4 && cidr.bits === 8 && cidr.v4 === ip('10.0.0.0'));
    assert.equal(st.size, 0);
  });

  test('a target staged twice keeps line order, so the later line is written last and wins', () => {
    const st = new V4Stage();
    st.push(ip('198.51.100.1'), undefined, 7);
    st.push(ip('198.51.100.0'), undefined, 1);
    st.push(ip('198.51.100.1'), undefined, 9);
    const out = [...st.drain(10)].flat();
    assert.deepEqual(
      out.map((r) => [r.t.value, r.prof]),
      [
        ['198.51.100.0', 1],
        ['198.51.100.1', 7],
        ['198.51.100.1', 9],
      ],
    );
  });

  test('three million rows across chunk boundaries drain sorted, in batches of the asked size, none lost', () => {
    const st = new V4Stage();
    const n = 3_000_000;
    // Pushed in descending order, so every row has to move; row i carries profile i & 1023.
    for (let i = n - 1; i >= 0; i--) st.push(i * 1000 + 7, undefined, i & 1023);
    let next = 0;
    let batches = 0;
    for (const rows of st.drain(400_000)) {
      batches++;
      assert.ok(rows.length <= 400_000);
      for (const r of rows) {
        const t = r.t;
        if (t.kind !== 'ip' || t.family !== 4 || t.v4 !== next * 1000 + 7 || r.prof !== (next & 1023)) {
          assert.fail(`row ${next}: ${JSON.stringify(r)}`);
        }
        next++;
      }
    }
    assert.equal(next, n);
    assert.equal(batches, Math.ceil(n / 400_000));
  });
});
