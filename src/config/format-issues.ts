import type { z } from 'zod';

/** Where a config value came from, so an error points at what the operator must edit. */
export type Origin =
  | {
      readonly kind: 'file';
      readonly file: string;
      readonly line?: (path: readonly PropertyKey[]) => number | undefined;
    }
  | { readonly kind: 'defaults' };

export interface Overrides {
  /** dotted key → where it was overridden, e.g. `upstream.url` → `--upstream` or `env PORTCULLIS_UPSTREAM`. */
  readonly [dottedKey: string]: string;
}

function dotted(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

function whatToDo(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return 'remove it or fix its spelling (docs/configuration.md lists every key)';
    case 'invalid_type':
      return `give a ${issue.expected}`;
    case 'invalid_value':
      return `use one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return `use at least ${String(issue.minimum)}`;
    case 'too_big':
      return `use at most ${String(issue.maximum)}`;
    default:
      return 'fix the value';
  }
}

/**
 * Turns schema issues into lines of the form `file:key: what is wrong, what to do` (issue 2, point 2).
 * A key set by a flag or env variable is reported under that name, since that is what the operator must change.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], origin: Origin, overrides: Overrides): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const paths =
      issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path as PropertyKey[]];
    for (const path of paths) {
      const key = dotted(path) || '(top level)';
      const override = overrides[dotted(path.filter((p) => typeof p !== 'number'))];
      let where: string;
      if (override !== undefined) where = override;
      else if (origin.kind === 'file') {
        const line = origin.line?.(path);
        where = line === undefined ? `${origin.file}:${key}` : `${origin.file}:${line}:${key}`;
      } else where = `defaults:${key}`;
      const what = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message.replace(/^Invalid input: /, '');
      lines.push(`${where}: ${what}; ${whatToDo(issue)}`);
    }
  }
  return lines;
}
