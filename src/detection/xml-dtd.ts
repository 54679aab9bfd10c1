/**
 * An XML document's DTD as far as xml.ts needs it: where a declaration ends, and which general entities its
 * internal subset declares with which text. Read the way a parser reads it — comments, processing instructions and
 * quoted values skipped, the first declaration of a name binding — because reviews declared decoys inside comments
 * and hid a `]` there to end the subset early.
 */
export const ENTITY_REF = /&([^\s;&<>#%]+);/g;
const ENTITY_VALUE_MAX = 4096;
/** Characters all entity resolution of one DTD may build. */
const RESOLVE_BUDGET = 262_144;
/** A character reference to `&`, `<` or `%`: the parser reads what it makes as markup when the entity is used. */
const MARKUP_REFERENCE = /&#(?:0*(?:38|60|37)|x0*(?:26|3c|25));/i;

/**
 * The index past a declaration (`<!DOCTYPE …>`) begun before `at`: quoted strings skipped, and in its internal
 * subset comments and processing instructions too (a `]` in one had ended the subset early for a review).
 */
export function declarationEnd(body: string, at: number): number {
  let subset = false;
  for (let i = at; i < body.length; i++) {
    const c = body[i];
    if (c === '"' || c === "'") {
      const close = body.indexOf(c, i + 1);
      if (close === -1) return -1;
      i = close;
    } else if (subset && body.startsWith('<!--', i)) {
      const close = body.indexOf('-->', i + 4);
      if (close === -1) return -1;
      i = close + 2;
    } else if (subset && body.startsWith('<?', i)) {
      const close = body.indexOf('?>', i + 2);
      if (close === -1) return -1;
      i = close + 1;
    } else if (c === '[') subset = true;
    else if (c === ']') subset = false;
    else if (c === '>' && !subset) return i + 1;
  }
  return -1;
}

/**
 * The general entities a DTD declares — the first declaration of a name binds, as in XML — each with its text when
 * it can be substituted in place (literal, no markup, references to other such entities resolved, at most
 * ENTITY_VALUE_MAX; character references kept for the decoders), else undefined; and an entity referenced in
 * another declaration (an ATTLIST default). Comments, processing instructions and quoted values are skipped, not
 * searched (a review declared a decoy `<!ENTITY j "zz">` inside a comment).
 */
export function readDtd(dtd: string): { entities: Map<string, string | undefined>; referenced: string | undefined } {
  const raw = new Map<string, string | undefined>();
  const others: string[] = [];
  const quoted = (at: number): number => {
    const close = dtd.indexOf(dtd[at]!, at + 1);
    return close === -1 ? dtd.length : close;
  };
  for (let i = 0; i < dtd.length; i++) {
    if (dtd.startsWith('<!--', i)) i = dtd.indexOf('-->', i + 4) === -1 ? dtd.length : dtd.indexOf('-->', i + 4) + 2;
    else if (dtd.startsWith('<?', i)) i = dtd.indexOf('?>', i + 2) === -1 ? dtd.length : dtd.indexOf('?>', i + 2) + 1;
    else if (dtd.startsWith('<!ENTITY', i)) {
      const m = /^<!ENTITY\s+(%\s+)?([^\s%"'<>]+)\s+/.exec(dtd.slice(i, i + 300));
      let j = i + (m?.[0].length ?? 8);
      const q = dtd[j];
      if (m !== null && m[1] === undefined && !raw.has(m[2]!))
        raw.set(m[2]!, q === '"' || q === "'" ? dtd.slice(j + 1, quoted(j)) : undefined);
      // To the declaration's end, its quoted values skipped.
      for (; j < dtd.length && dtd[j] !== '>'; j++) if (dtd[j] === '"' || dtd[j] === "'") j = quoted(j);
      i = j;
    } else if (dtd.startsWith('<!', i) && !dtd.startsWith('<!DOCTYPE', i)) {
      let j = i + 2;
      for (; j < dtd.length && dtd[j] !== '>'; j++) if (dtd[j] === '"' || dtd[j] === "'") j = quoted(j);
      others.push(dtd.slice(i, j));
      i = j;
    } else if (dtd[i] === '"' || dtd[i] === "'") i = quoted(i);
  }
  // Each entity is resolved once (results and failures remembered: a review's `&a;` thirty times inside `a` took
  // 7 s unremembered), building stops at ENTITY_VALUE_MAX, and all of it together at RESOLVE_BUDGET.
  const entities = new Map<string, string | undefined>();
  const resolving = new Set<string>();
  let budget = RESOLVE_BUDGET;
  const resolve = (name: string, depth: number): string | undefined => {
    if (entities.has(name)) return entities.get(name);
    const v = raw.get(name);
    let result: string | undefined;
    // Markup, a parameter entity, or a character reference a parser turns into markup (`&#60;!---->`): not plain.
    if (v !== undefined && depth <= 4 && !resolving.has(name) && !/[<%]/.test(v) && !MARKUP_REFERENCE.test(v)) {
      resolving.add(name);
      let out = '';
      let last = 0;
      let ok = true;
      for (const m of v.matchAll(ENTITY_REF)) {
        out += v.slice(last, m.index);
        last = m.index + m[0].length;
        const inner = raw.has(m[1]!) ? resolve(m[1]!, depth + 1) : m[0];
        if (inner === undefined || out.length + inner.length > ENTITY_VALUE_MAX || budget < inner.length) {
          ok = false;
          break;
        }
        budget -= inner.length;
        out += inner;
      }
      resolving.delete(name);
      if (ok) result = out + v.slice(last);
    }
    entities.set(name, result);
    return result;
  };
  for (const name of raw.keys()) entities.set(name, resolve(name, 0));
  let referenced: string | undefined;
  for (const d of others) for (const m of d.matchAll(ENTITY_REF)) if (raw.has(m[1]!)) referenced ??= m[1]!;
  return { entities, referenced };
}
