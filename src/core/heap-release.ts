import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Rows of one bulk change from which its garbage is worth a forced collection (see `releaseHeapAfterBulk`). */
export const HEAP_RELEASE_ROWS = 100_000;

/**
 * Gives V8's old space back after a bulk change (an import of millions of lines) has filled it with garbage.
 *
 * Why: every scavenge (minor GC, one every few hundred requests) walks the list of old-space pages. An import of
 * 10 M lines grows the old space to ~300 MB of mostly dead pages that nothing else collects soon, since the
 * request path allocates young objects only. Measured on the gateway after such an import: each scavenge took
 * 1.9–2.2 ms instead of 0.7–0.9 ms and throughput fell to 0.81–0.86 of the same gateway without decisions; a
 * restarted gateway holding the same set ran at 0.97. Two full collections (≈ 110 ms once, after a 35 s import)
 * return the pages, and with them the scavenge time and the throughput (docs/benchmarks.md, "Decisions").
 *
 * Node exposes no collector without `--expose-gc`; the flag is set for the moment it takes to fetch `gc` from a
 * fresh context and cleared again, so no `gc` global appears (what Jest's leak detector does).
 * Returns how long the collection paused the process, ms, or undefined when `rows` was too few to bother.
 */
export function releaseHeapAfterBulk(rows: number): number | undefined {
  if (rows < HEAP_RELEASE_ROWS) return undefined;
  const started = performance.now();
  const exposed = (globalThis as { gc?: () => void }).gc;
  // Started with --expose-gc (tests, operators): use it, and leave the flag as the operator set it.
  const gc = exposed ?? fetchCollector();
  // The first collection frees the dead objects; the second compacts the pages the first left sparse.
  gc();
  gc();
  return performance.now() - started;
}

function fetchCollector(): () => void {
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
