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
/** A fully qualified exception or error type: lower-case package parts, then a class ending in Exception or Error. */
const EXCEPTION_TYPE = /\b(?:[a-z_$][\w$]{0,100}\.){1,30}[A-Z][\w$]{0,100}(?:Exception|Error)\b/g;

const blank = (s: string): string => ' '.repeat(s.length);

/** `text` with every frame and exception type name replaced by spaces; `undefined` when it holds none. */
export function maskStackTrace(text: string): string | undefined {
  if (!text.includes('.')) return undefined;
  const masked = text.replace(FRAME, blank).replace(EXCEPTION_TYPE, blank);
  return masked === text ? undefined : masked;
}
