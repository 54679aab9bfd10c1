import { PortcullisError } from '../core/errors.ts';

/**
 * `disable` names detector families. Each area registers its own (detection: one per rule category;
 * behaviour: one per detector; identity: fingerprint checks), plus the area's own name to switch all of it off.
 * Names are checked here, once, against what is registered, so a typo is a start-up error, not a silent no-op.
 */
export type Area = 'detection' | 'identity' | 'behaviour';

export function splitDisabled(
  disable: readonly string[],
  registered: Readonly<Record<Area, readonly string[]>>,
  origin = 'disable',
): Record<Area, string[]> & { whole: Set<Area> } {
  const out: Record<Area, string[]> & { whole: Set<Area> } = {
    detection: [],
    identity: [],
    behaviour: [],
    whole: new Set(),
  };
  const unknown: string[] = [];
  for (const name of disable) {
    if (name === 'detection' || name === 'identity' || name === 'behaviour') {
      out.whole.add(name);
      continue;
    }
    const areas = (Object.keys(registered) as Area[]).filter((a) => registered[a].includes(name));
    if (areas.length === 0) unknown.push(name);
    for (const a of areas) out[a].push(name);
  }
  if (unknown.length > 0) {
    const known = ['detection', 'identity', 'behaviour', ...new Set(Object.values(registered).flat())].sort();
    const line = `${origin}: unknown detector famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((u) => `"${u}"`).join(', ')}; use one of: ${known.join(', ')}`;
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', line, { details: [line] });
  }
  return out;
}
