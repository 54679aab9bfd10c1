/**
 * What a JVM writes when something fails: frames (`at com.example.Foo.bar(Foo.java:42)`,
 * `at java.base/java.lang.Thread.run(Thread.java:833)`, `(Native Method)`) and exception type names
 * (`java.lang.NullPointerException`, `Caused by: java.io.IOException`). Crash reporters, log shippers and support
 * tickets send them to APIs all day, and nearly every one names a `java.lang` or `java.io` class.
 *
 * Rules that opt in with `confirm.notInStackTrace` are lowered only when they no longer match once these regions
 * are blanked out (`maskStackTrace`), as for Markdown code: a class named outside a frame keeps its severity.
 * Neither shape runs anything. A frame is a class, a method, and a source file with its line between parentheses
 * — no argument can stand there — and a type named `…Exception` or `…Error` is no gadget a payload calls. The
 * payloads that do reach the runtime (`getRuntime().exec(`, `T(java.lang.Runtime)`, `@java.lang.Runtime@`) are
 * other rules', which do not opt in.
 *
 * Bounded quantifiers only, no nested ones: linear in the text up to a constant (redos-modules.test.ts).
 */

/** A frame: `at`, an optional module (`java.base/`, `app//`), a dotted method name, and its source position. */
const FRAME =
  /\bat\s{1,8}(?:[\w$.@-]{1,200}\/{1,2})?[\w$.<>-]{1,400}\((?:[\w$-]{1,200}\.(?:java|kt|scala|groovy|clj)(?::\d{1,9})?|Native Method|Unknown Source(?::\d{1,9})?)\)/g;
/** Where an exception or error type's name ends; its fully qualified name is read backwards from there. */
const TYPE_END = /(?:Exception|Error)\b/g;
/** A fully qualified type: lower-case package parts, then a class name starting upper-case. */
const QUALIFIED = /^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*$/;
const NAME_MAX = 300;
/**
 * Masking stops after this many frames or type names: a trace is a few dozen lines, and a value built of
 * thousands of them gets no lower severity from the rest (a seventh review timed 600 ms on 128 KB of near-names).
 */
const MAX_REGIONS = 512;

const blank = (s: string): string => ' '.repeat(s.length);
const isNameChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 46;

/** `text` with every frame and exception type name replaced by spaces; `undefined` when it holds none. */
export function maskStackTrace(text: string): string | undefined {
  if (!text.includes('.')) return undefined;
  let regions = 0;
  let masked = text.replace(FRAME, (frame) => (++regions > MAX_REGIONS ? frame : blank(frame)));
  // Type names are found from their ending, not by a regex tried at every position (quadratic on near-names).
  const cuts: [number, number][] = [];
  TYPE_END.lastIndex = 0;
  // Each backward read stops where the previous ending was: `.Error.Error…` is read once, not 300 times.
  let floor = 0;
  for (let m = TYPE_END.exec(masked); m !== null && regions < MAX_REGIONS; m = TYPE_END.exec(masked)) {
    const end = m.index + m[0].length;
    let start = m.index;
    while (start > floor && end - start < NAME_MAX && isNameChar(masked.charCodeAt(start - 1))) start--;
    floor = end;
    if (start > 0 && isNameChar(masked.charCodeAt(start - 1))) continue;
    const name = masked.slice(start, end);
    if (QUALIFIED.test(name)) {
      cuts.push([start, end]);
      regions++;
    }
  }
  if (cuts.length > 0) {
    const parts: string[] = [];
    let at = 0;
    for (const [start, end] of cuts) {
      parts.push(masked.slice(at, start), ' '.repeat(end - start));
      at = end;
    }
    parts.push(masked.slice(at));
    masked = parts.join('');
  }
  return masked === text ? undefined : masked;
}
