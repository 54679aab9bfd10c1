/** Counters for one (file, label, category, paranoia level) cell of the evaluation report. */
export interface Tally {
  n: number;
  detected: number;
  blocked: number;
  /** Blocked by a critical finding or by this request's own risk (≥ policy.block). */
  riskBlocked: number;
  /** Challenged or worse on this request alone: a critical finding or its risk ≥ policy.challenge. */
  acted: number;
  probes: number;
  probesBlocked: number;
  probesActed: number;
  probesFlagged: number;
}

export function emptyTally(): Tally {
  return {
    n: 0,
    detected: 0,
    blocked: 0,
    riskBlocked: 0,
    acted: 0,
    probes: 0,
    probesBlocked: 0,
    probesActed: 0,
    probesFlagged: 0,
  };
}

const pct = (a: number, b: number): string => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)} %`);

/** Markdown tables, one per file, so the output pastes straight into docs/detection.md. */
export function printReport(results: Record<string, Record<string, Tally>>, paranoia: number, gateway: boolean): void {
  console.log(
    `# Corpus evaluation — paranoia ${paranoia}, ${gateway ? 'through a real gateway (HTTP)' : 'inspector in process'}\n`,
  );
  for (const [file, byKey] of Object.entries(results)) {
    console.log(`## ${file}\n`);
    console.log(
      '| label | category | level | cases | detected | blocked | blocked incl. risk | challenged or worse | fp_probe cases | fp_probe blocked | fp_probe challenged or worse | fp_probe flagged |',
    );
    console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    // `all` first, then alphabetical: attack before benign, categories A–Z, levels PL1…PL4 then PL- (unlevelled).
    const part = (x: string): string => (x === 'all' ? '' : x === 'PL-' ? 'PLz' : x);
    const keys = Object.keys(byKey).sort((a, b) => {
      const pa = a.split('|').map(part);
      const pb = b.split('|').map(part);
      for (let i = 0; i < 3; i++) {
        const c = pa[i]!.localeCompare(pb[i]!);
        if (c !== 0) return c;
      }
      return 0;
    });
    for (const key of keys) {
      const t = byKey[key]!;
      const [label, category, level] = key.split('|');
      if (category !== 'all' && level !== 'all' && !key.endsWith('|all')) {
        // per category × level rows only for attack cases with several levels, to keep tables readable
        if (label !== 'attack') continue;
      }
      const strong = category === 'all' ? '**' : '';
      console.log(
        `| ${label} | ${strong}${category}${strong} | ${level} | ${t.n} | ${pct(t.detected, t.n)} | ${pct(t.blocked, t.n)} | ${pct(t.riskBlocked, t.n)} | ${pct(t.acted, t.n)} | ${t.probes || '—'} | ${pct(t.probesBlocked, t.probes)} | ${pct(t.probesActed, t.probes)} | ${pct(t.probesFlagged, t.probes)} |`,
      );
    }
    console.log('');
  }
}
