import type { Config } from './full-schema.ts';

/** Sections that take effect without a restart (each area swaps its compiled state atomically). */
export const RELOADABLE = ['detection'] as const;

export interface ReloadPlan {
  /** Reloadable sections that changed and will be applied. */
  readonly apply: readonly string[];
  /** Changed keys that only take effect after a restart (listeners, stores, …). */
  readonly needsRestart: readonly string[];
}

/** Compares two validated configs section by section (both are plain, frozen JSON values). */
export function planReload(current: Config, next: Config): ReloadPlan {
  const apply: string[] = [];
  const needsRestart: string[] = [];
  for (const key of Object.keys({ ...current, ...next }) as (keyof Config)[]) {
    if (JSON.stringify(current[key]) === JSON.stringify(next[key])) continue;
    if ((RELOADABLE as readonly string[]).includes(key)) apply.push(key);
    else needsRestart.push(key);
  }
  return { apply, needsRestart };
}
