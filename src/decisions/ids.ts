/**
 * Decision ids are the store's integer key written as `d<decimal>` (`d1042`): short to type in the CLI, sortable,
 * and cheap to keep as one uint32 per gate entry. The prefix keeps them apart from incident ids in logs.
 */
export function formatId(id: number): string {
  return `d${id}`;
}

/** Largest decision id: the gate keeps ids as uint32 (u32-table.ts); allocation past it is refused. */
export const MAX_ID = 0xffffffff;

/** The integer behind `d<decimal>`, or undefined when the text is not a decision id. */
export function parseId(text: string): number | undefined {
  if (!/^d[1-9]\d{0,9}$/.test(text)) return undefined;
  const n = Number(text.slice(1));
  return n <= MAX_ID ? n : undefined;
}
