import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { PortcullisError } from '../core/errors.ts';
import { formatIssues, type Origin, type Overrides } from './format-issues.ts';
import { type Config, configSchema } from './full-schema.ts';

/** Values given on the command line, already split; each overrides the file (precedence: file → env → flags). */
export interface ConfigFlags {
  readonly listen?: string;
  readonly upstream?: string;
  readonly admin?: string;
  readonly dataDir?: string;
  readonly mode?: string;
  readonly trustProxy?: readonly string[];
  readonly disable?: readonly string[];
}

type Tree = Record<string, unknown>;

const ENV_KEYS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['PORTCULLIS_LISTEN', ['listen']],
  ['PORTCULLIS_UPSTREAM', ['upstream', 'url']],
  ['PORTCULLIS_ADMIN_LISTEN', ['admin', 'listen']],
  ['PORTCULLIS_ADMIN_TOKEN', ['admin', 'token']],
  ['PORTCULLIS_DATA_DIR', ['dataDir']],
  ['PORTCULLIS_MODE', ['mode']],
  ['PORTCULLIS_REDIS_URL', ['store', 'redisUrl']],
];

const FLAG_KEYS: ReadonlyArray<readonly [keyof ConfigFlags, string, readonly string[]]> = [
  ['listen', '--listen', ['listen']],
  ['upstream', '--upstream', ['upstream', 'url']],
  ['admin', '--admin', ['admin', 'listen']],
  ['dataDir', '--data-dir', ['dataDir']],
  ['mode', '--mode', ['mode']],
  ['trustProxy', '--trust-proxy', ['trustProxy']],
  ['disable', '--disable', ['disable']],
];

function setIn(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1]!] = value;
}

function readYaml(file: string): { tree: Tree; origin: Origin } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PortcullisError(
      'PC_ERR_CONFIG_READ',
      `${file}: cannot read the configuration file (${(cause as Error).message}); check the path and permissions`,
      { cause },
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map(
      (e) => `${file}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}; fix the YAML syntax there`,
    );
    throw new PortcullisError('PC_ERR_CONFIG_PARSE', lines.join('\n'), { details: lines });
  }
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    const line = `${file}: the file must be a mapping of keys (listen:, upstream:, …), not a ${Array.isArray(value) ? 'list' : typeof value}`;
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', line, { details: [line] });
  }
  const line = (path: readonly PropertyKey[]): number | undefined => {
    // Point at the deepest node that exists on the path (an unknown key's own node exists; a missing one does not).
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      const parent = n > 1 ? doc.getIn(path.slice(0, n - 1) as unknown[], true) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[n - 1]);
        const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (range) return lineCounter.linePos(range[0]).line;
      }
      if (isSeq(parent) && node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { tree: value as Tree, origin: { kind: 'file', file, line } };
}

/**
 * Builds the frozen configuration from an optional YAML file, the environment and flags. Everything that needs
 * no I/O is checked here, before any socket or store is opened; all errors are reported at once.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; flags?: ConfigFlags } = {}): Config {
  const { tree, origin } = options.file
    ? readYaml(options.file)
    : { tree: {} as Tree, origin: { kind: 'defaults' } as Origin };
  const overrides: Record<string, string> = {};
  const env = options.env ?? {};
  for (const [name, path] of ENV_KEYS) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      setIn(tree, path, value);
      overrides[path.join('.')] = `env ${name}`;
    }
  }
  const flags = options.flags ?? {};
  for (const [key, flag, path] of FLAG_KEYS) {
    const value = flags[key];
    if (value !== undefined) {
      setIn(tree, path, value);
      overrides[path.join('.')] = flag;
    }
  }
  return validateConfig(tree, origin, overrides);
}

export function validateConfig(
  tree: unknown,
  origin: Origin = { kind: 'defaults' },
  overrides: Overrides = {},
): Config {
  const result = configSchema.safeParse(tree);
  if (!result.success) {
    const lines = formatIssues(result.error.issues, origin, overrides);
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', lines.join('\n'), { details: lines });
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
