import type { DecisionKind } from '../core/decision.ts';
import { formatV4, formatV6, maskV4, maskV6, parseIp, V4, V6 } from './addr.ts';

/**
 * A decision's target parsed once, when it is accepted: the canonical text stored and shown, plus the packed
 * key the gate indexes. IPs are canonical (v4-mapped v6 → v4, v6 in RFC 5952 form); CIDRs have host bits cleared
 * so `10.1.2.3/8` and `10.0.0.0/8` are one decision.
 */
export type Target =
  | { readonly kind: 'ip'; readonly family: 4; readonly v4: number; readonly value: string }
  | { readonly kind: 'ip'; readonly family: 6; readonly w: Uint32Array; readonly value: string }
  | { readonly kind: 'cidr'; readonly family: 4; readonly v4: number; readonly bits: number; readonly value: string }
  | {
      readonly kind: 'cidr';
      readonly family: 6;
      readonly w: Uint32Array;
      readonly bits: number;
      readonly value: string;
    }
  | { readonly kind: 'tls' | 'http' | 'principal' | 'account'; readonly value: string };

/** Longest fingerprint, principal or account hash we accept; longer ones are almost certainly pasted by mistake. */
export const MAX_FACET_VALUE = 512;

export type TargetResult = { ok: true; target: Target } | { ok: false; error: string };

const scratch = new Uint32Array(4);

/** Parses `value` as `kind`; for imports pass kind `undefined` to take ip or cidr from the text. */
export function parseTarget(kind: DecisionKind | undefined, raw: string): TargetResult {
  const value = raw.trim();
  if (value.length === 0) return { ok: false, error: 'empty value' };
  const k = kind ?? (value.includes('/') ? 'cidr' : 'ip');
  if (k === 'ip') return parseIpTarget(value);
  if (k === 'cidr') return parseCidrTarget(value);
  if (value.length > MAX_FACET_VALUE) return { ok: false, error: `value longer than ${MAX_FACET_VALUE} characters` };
  if (/[\s]/.test(value)) return { ok: false, error: 'value contains whitespace' };
  return { ok: true, target: { kind: k, value } };
}

function parseIpTarget(value: string): TargetResult {
  if (value.includes('/')) return { ok: false, error: `"${clip(value)}" is a range: use kind cidr` };
  const fam = parseIp(value, 0, value.length, scratch);
  if (fam === V4) return { ok: true, target: { kind: 'ip', family: 4, v4: scratch[3]!, value: formatV4(scratch[3]!) } };
  if (fam === V6) {
    const w = Uint32Array.from(scratch);
    return { ok: true, target: { kind: 'ip', family: 6, w, value: formatV6(w) } };
  }
  return { ok: false, error: `"${clip(value)}" is not an IPv4 or IPv6 address` };
}

function parseCidrTarget(value: string): TargetResult {
  const slash = value.indexOf('/');
  const addrEnd = slash === -1 ? value.length : slash;
  const fam = parseIp(value, 0, addrEnd, scratch);
  if (fam === 0) return { ok: false, error: `"${clip(value.slice(0, addrEnd))}" is not an IPv4 or IPv6 address` };
  // A v4-mapped address written in v6 form has a v6 prefix length; bring both back to v4 terms.
  const mappedText = fam === V4 && value.lastIndexOf(':', addrEnd) !== -1;
  const maxBits = fam === V6 || mappedText ? 128 : 32;
  let bits = maxBits;
  if (slash !== -1) {
    const text = value.slice(slash + 1);
    if (!/^\d{1,3}$/.test(text) || Number(text) > maxBits) {
      return { ok: false, error: `bad prefix length "/${clip(text)}": use 0..${maxBits}` };
    }
    bits = Number(text);
  }
  if (mappedText) {
    if (bits < 96) {
      // Wider than the mapped block: it is a genuine v6 range.
      const w = Uint32Array.of(0, 0, 0xffff, scratch[3]!);
      maskV6(w, bits);
      return { ok: true, target: { kind: 'cidr', family: 6, w, bits, value: `${formatV6(w)}/${bits}` } };
    }
    bits -= 96;
  }
  if (fam === V4) {
    const v4 = (scratch[3]! & maskV4(bits)) >>> 0;
    return { ok: true, target: { kind: 'cidr', family: 4, v4, bits, value: `${formatV4(v4)}/${bits}` } };
  }
  const w = Uint32Array.from(scratch);
  maskV6(w, bits);
  return { ok: true, target: { kind: 'cidr', family: 6, w, bits, value: `${formatV6(w)}/${bits}` } };
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
