import type { Decision } from '../core/decision.ts';
import type { DecisionFilter } from './filter.ts';
import type { SqliteStore } from './sqlite-store.ts';

/**
 * Exports, streamed page by page from the store so a 10 M-entry set never sits in memory as text.
 *
 *   plain     one value a line (what FireHOL-style consumers read)
 *   nftables  `nft -f` file: an inet table with an interval set per family, auto-merge so overlaps load
 *             (https://wiki.nftables.org/wiki-nftables/index.php/Sets)
 *   ipset     `ipset restore` file: hash:net sets per family (hash:net refuses /0, so /0 entries are left out
 *             with a comment in the plain header; ipset(8))
 *   json      a JSON array of full decisions
 *
 * plain, nftables and ipset carry addresses only (kinds ip and cidr); json carries every kind.
 */
export const EXPORT_FORMATS = ['plain', 'nftables', 'ipset', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPE: Readonly<Record<ExportFormat, string>> = {
  plain: 'text/plain; charset=utf-8',
  nftables: 'text/plain; charset=utf-8',
  ipset: 'text/plain; charset=utf-8',
  json: 'application/json',
};

const PAGE = 10_000;

export async function* exportDecisions(
  store: SqliteStore,
  filter: DecisionFilter,
  format: ExportFormat,
  now: number,
  setName = 'portcullis',
): AsyncGenerator<string> {
  if (format === 'json') {
    yield '[';
    let first = true;
    for (const page of store.pages(filter, now, PAGE)) {
      yield (first ? '\n' : ',\n') + page.map((d) => JSON.stringify(d)).join(',\n');
      first = false;
      await tick();
    }
    yield '\n]\n';
    return;
  }
  if (format === 'plain') {
    yield `# portcullis decisions export ${new Date(now).toISOString()}\n`;
    for (const page of addressPages(store, filter, now)) {
      yield page.map((d) => `${d.value}\n`).join('');
      await tick();
    }
    return;
  }
  for (const family of [4, 6] as const) {
    const name = `${setName}-v${family}`;
    if (format === 'nftables') {
      if (family === 4) yield `# portcullis decisions export ${new Date(now).toISOString()}\ntable inet ${setName} {\n`;
      yield `  set ${name} {\n    type ipv${family}_addr\n    flags interval\n    auto-merge\n`;
      let first = true;
      for (const page of addressPages(store, filter, now, family)) {
        yield (first ? '    elements = {\n      ' : ',\n      ') + page.map((d) => d.value).join(',\n      ');
        first = false;
        await tick();
      }
      yield `${first ? '' : '\n    }\n'}  }\n${family === 6 ? '}\n' : ''}`;
    } else {
      const fam = family === 4 ? 'inet' : 'inet6';
      yield `create ${name} hash:net family ${fam} hashsize 65536 maxelem 16777216 -exist\n`;
      for (const page of addressPages(store, filter, now, family)) {
        yield page
          .filter((d) => !d.value.endsWith('/0'))
          .map((d) => `add ${name} ${d.value} -exist\n`)
          .join('');
        await tick();
      }
    }
  }
}

/** Pages of ip and cidr decisions, optionally of one address family. */
function* addressPages(store: SqliteStore, filter: DecisionFilter, now: number, family?: 4 | 6): Generator<Decision[]> {
  for (const page of store.pages(filter, now, PAGE)) {
    const out = page.filter(
      (d) =>
        (d.kind === 'ip' || d.kind === 'cidr') && (family === undefined || d.value.includes(':') === (family === 6)),
    );
    if (out.length > 0) yield out;
  }
}

/** Lets the event loop serve requests between pages of a large export. */
function tick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
