import { isIP } from 'node:net';

/** Validates `ADDR/PREFIX` (or a bare address, taken as a host route) for config; the gate has its own parser. */
export function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const family = isIP(addr);
  if (family === 0) return false;
  if (slash === -1) return true;
  const prefix = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
