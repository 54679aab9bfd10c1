/**
 * Replays labelled JSONL corpora through the inspector and prints detection and false-positive rates per file,
 * category and paranoia level — never one pooled number (../shared/corpus/README.md).
 *
 *   npm run eval:corpus -- ../shared/corpus/crs.jsonl ../shared/corpus/gotestwaf.jsonl [--paranoia N]
 *                          [--gateway] [--misses CATEGORY] [--fps] [--json] [--cases]
 *
 * detected = at least one finding (any severity: lower ones add actor risk); blocked = a critical finding
 * (enforce mode blocks on it alone); blocked incl. risk / challenged or worse = a critical finding, or the risk
 * this request's findings add on their own (src/behaviour/evidence.ts, default weights) reaching the default
 * policy's block / challenge threshold — what the gateway would do to a client whose first request this is.
 * False positives are counted on `fp_probe` cases (CRS) and benign cases.
 * `--cases` prints one line per case instead (id, label, blocked/detected, rule ids): diff two runs to see
 * exactly which cases a rule change moved.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { behaviourConfigSchema } from '../src/behaviour/config.ts';
import { requestRisk } from '../src/behaviour/evidence.ts';
import { weakCapOf } from '../src/behaviour/policy.ts';
import type { Finding } from '../src/core/finding.ts';
import { detectionConfigSchema } from '../src/detection/config.ts';
import { createInspector } from '../src/detection/inspector.ts';
import { loadRuleset } from '../src/detection/ruleset.ts';
import { type CorpusCase, caseToInput, parseCorpus } from './corpus-case.ts';
import { replayThroughGateway } from './eval-gateway.ts';
import { emptyTally, printReport, type Tally } from './eval-report.ts';

interface Args {
  files: string[];
  paranoia: number;
  gateway: boolean;
  misses?: string;
  fps: boolean;
  json: boolean;
  cases: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { files: [], paranoia: 1, gateway: false, fps: false, json: false, cases: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--paranoia') args.paranoia = Number(argv[++i]);
    else if (a === '--gateway') args.gateway = true;
    else if (a === '--misses') args.misses = argv[++i]!;
    else if (a === '--fps') args.fps = true;
    else if (a === '--json') args.json = true;
    else if (a === '--cases') args.cases = true;
    else args.files.push(a);
  }
  if (args.files.length === 0) {
    console.error(
      'usage: npm run eval:corpus -- FILE.jsonl ... [--paranoia 1-4] [--gateway] [--misses CATEGORY] [--fps]',
    );
    process.exit(2);
  }
  return args;
}

export type Outcome = { findings: readonly Finding[] };

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = detectionConfigSchema.parse({ paranoia: args.paranoia });
  const ruleset = loadRuleset();
  const inspector = createInspector(config, { ruleset });
  const results: Record<string, Record<string, Tally>> = {};
  const { risk: riskConfig, policy } = behaviourConfigSchema.parse({});
  for (const file of args.files) {
    const cases = parseCorpus(readFileSync(file, 'utf8'));
    const outcomes: Outcome[] = args.gateway
      ? await replayThroughGateway(cases, config)
      : cases.map((c) => ({ findings: inspector.inspect(caseToInput(c)) }));
    const byKey: Record<string, Tally> = {};
    cases.forEach((c, i) => {
      const findings = outcomes[i]!.findings.filter((f) => !f.monitorOnly);
      const detected = findings.length > 0;
      const blocked = findings.some((f) => f.severity === 'critical');
      const risk = requestRisk(findings, riskConfig, weakCapOf(riskConfig.weakCap, policy));
      const riskBlocked = blocked || risk >= policy.block;
      const acted = blocked || risk >= policy.challenge;
      const pl = c.meta?.paranoia_level ?? '-';
      for (const key of [
        `${c.label}|all|all`,
        `${c.label}|${c.category}|all`,
        `${c.label}|all|PL${pl}`,
        `${c.label}|${c.category}|PL${pl}`,
      ]) {
        const t = (byKey[key] ??= emptyTally());
        t.n++;
        if (detected) t.detected++;
        if (blocked) t.blocked++;
        if (riskBlocked) t.riskBlocked++;
        if (acted) t.acted++;
        if (c.meta?.fp_probe) {
          t.probes++;
          if (blocked) t.probesBlocked++;
          if (acted) t.probesActed++;
          if (detected) t.probesFlagged++;
        }
      }
      const show =
        (args.misses !== undefined &&
          c.label === 'attack' &&
          !detected &&
          (args.misses === 'all' || args.misses === c.category)) ||
        (args.fps && c.label === 'benign' && acted && (c.meta?.fp_probe || c.source !== 'owasp-crs-regression'));
      if (show) printCase(c, findings);
      if (args.cases) {
        const verdict = blocked
          ? 'blocked'
          : riskBlocked
            ? 'risk-blocked'
            : acted
              ? 'challenged'
              : detected
                ? 'detected'
                : 'clean';
        const rules = [...new Set(findings.map((f) => `${f.ruleId}:${f.severity}`))].sort().join(',');
        console.log(`${c.id}\t${c.label}\t${verdict}\t${rules}`);
      }
    });
    results[basename(file)] = byKey;
  }
  inspector.close();
  if (args.cases) return;
  if (args.json) console.log(JSON.stringify({ paranoia: args.paranoia, gateway: args.gateway, results }, null, 2));
  else printReport(results, args.paranoia, args.gateway);
}

function printCase(c: CorpusCase, findings: readonly Finding[]): void {
  const r = c.request;
  const rule = c.meta?.rule_id !== undefined ? ` rule ${String(c.meta.rule_id)}` : '';
  console.log(`--- ${c.id} [${c.label}/${c.category}${rule} PL${c.meta?.paranoia_level ?? '-'}]`);
  console.log(`  ${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`.slice(0, 400));
  const hdrs = Object.entries(r.headers).filter(
    ([k]) =>
      !/^(host|accept|user-agent|accept-encoding|accept-language|keep-alive|proxy-connection|connection)$/i.test(k),
  );
  if (hdrs.length > 0) console.log(`  headers: ${JSON.stringify(Object.fromEntries(hdrs)).slice(0, 300)}`);
  if (r.body) console.log(`  body: ${JSON.stringify(r.body).slice(0, 300)}`);
  for (const f of findings) console.log(`  => ${f.ruleId} ${f.severity} ${f.location} ${JSON.stringify(f.fragment)}`);
}

await main();
