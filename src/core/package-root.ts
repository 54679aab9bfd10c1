import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root (where package.json, rules/ and data/ live). Found by walking up from this module, because
 * it sits at src/core/ when run from source and at dist/src/core/ when built: a fixed `../..` fits only one.
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'portcullis')
      return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the portcullis package root above ${start}`);
  }
}

export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
