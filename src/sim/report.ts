import type { SimReport } from './run.ts';

/** The simulator's report as a fixed-width table (docs/bot-defence.md records one). */
export function formatReport(r: SimReport): string {
  const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(2)} %`);
  const lines: string[] = [];
  lines.push(`Simulation against ${r.url}, ${r.seconds} s`);
  lines.push('');
  lines.push('Legitimate traffic        requests   blocked  challenged  users blocked');
  for (const g of r.groups.filter((x) => x.legitimate)) {
    lines.push(
      `  ${g.group.padEnd(24)}${String(g.requests).padStart(8)}${String(g.blocked).padStart(10)}${String(g.challenged).padStart(12)}${`${g.usersBlocked}/${g.users}`.padStart(15)}`,
    );
  }
  const l = r.legitimate;
  lines.push(
    `  ${'all'.padEnd(24)}${String(l.requests).padStart(8)}${pct(l.blocked, l.requests).padStart(10)}${pct(l.challenged, l.requests).padStart(12)}${String(l.usersBlocked).padStart(15)}`,
  );
  lines.push('');
  lines.push(
    'Attack campaign                     requests  reached API  stopped    first stop    last reached   takeovers',
  );
  for (const g of r.groups.filter((x) => !x.legitimate)) {
    const first = g.firstStopped ? `#${g.firstStopped.request} ${g.firstStopped.seconds}s` : '-';
    const last = g.lastReached ? `#${g.lastReached.request} ${g.lastReached.seconds}s` : 'none';
    const ato = g.validTried === undefined ? '' : `${g.takeovers}/${g.validTried}`;
    lines.push(
      `  ${g.group.padEnd(34)}${String(g.requests).padStart(8)}${String(g.reached).padStart(13)}${pct(g.requests - g.reached - g.errors, g.requests).padStart(10)}${first.padStart(14)}${last.padStart(16)}${ato.padStart(12)}`,
    );
  }
  return lines.join('\n');
}
