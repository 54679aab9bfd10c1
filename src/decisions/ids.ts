/**
 * Decision ids are the store's integer key written as `d<decimal>` (`d1042`): short to type in the CLI, sortable,
 * and cheap to keep as one uint32 per gate entry. The prefix keeps them apart from incident ids in logs.
 */
export function formatId(id: number): string {
  return `d${id}`;
}

/** The integer behind `d<decimal>`, or undefined when the text is not a decision id. */
export function parseId(text: string): number | undefined {
  if (!/^d[1-9]\d{0,9}$/.test(text)) return undefined;
  const n = Number(text.slice(1));
  return n <= 0xffffffff ? n : undefined;
}
