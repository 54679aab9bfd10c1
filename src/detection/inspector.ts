import type { Finding } from '../core/finding.ts';
import { type CompiledState, compileState } from './compiled.ts';
import { type DetectionConfig, detectionConfigSchema } from './config.ts';
import { loadRuleset, type Ruleset } from './ruleset.ts';
import { runInspection } from './run.ts';
import type { InspectionInput } from './types.ts';

export type { InspectionInput } from './types.ts';

export interface Inspector {
  /** Synchronous: extraction, JS rules and one libddwaf call, all inside the configured time budget. */
  inspect(input: InspectionInput): Finding[];
  /** Atomic swap: requests in flight finish on the old state, the next one sees the new config. */
  reload(config: DetectionConfig): void;
  /** Category names usable with `--disable` (one per rule file, plus `inspection` for limits). */
  readonly families: readonly string[];
  close(): void;
}

export interface InspectorOptions {
  readonly disabledFamilies?: readonly string[];
  /** Another rules directory (tests); defaults to the shipped `rules/`. */
  readonly rulesDir?: string;
  /** An already loaded ruleset (the eval script builds one per paranoia level from the same files). */
  readonly ruleset?: Ruleset;
}

export function createInspector(config: DetectionConfig, opts: InspectorOptions = {}): Inspector {
  const ruleset = opts.ruleset ?? loadRuleset(opts.rulesDir);
  const disabled = opts.disabledFamilies ?? [];
  let state: CompiledState = compileState(ruleset, detectionConfigSchema.parse(config), disabled);
  const inspectionOff = disabled.includes('inspection');
  return {
    families: [...ruleset.categories, 'inspection'],
    inspect(input) {
      const findings = runInspection(state, input);
      return inspectionOff ? findings.filter((f) => f.category !== 'inspection') : findings;
    },
    reload(next) {
      // Build first, swap second: a bad config throws here and the old state keeps serving.
      const fresh = compileState(ruleset, detectionConfigSchema.parse(next), disabled);
      const old = state;
      state = fresh;
      old.waf.dispose();
    },
    close() {
      state.waf.dispose();
    },
  };
}
