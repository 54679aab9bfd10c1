/**
 * The Node.js lines a gateway may run on.
 *
 * better-sqlite3 12, the last major that still builds for Node 20, derives its objects from node::ObjectWrap. Built
 * against Node 24.19+ headers, that class's destructor asserts inside a garbage-collection finaliser and aborts the
 * process at an arbitrary moment (nodejs/node#65446; seen here: the test suite on Node 24.21 aborts in
 * `Statement::~Statement`). better-sqlite3 13 fixes it but needs Node 22. A gateway that dies mid-traffic is worse
 * than one that refuses to start, so the commands that run one check the line first.
 */
export const SUPPORTED_NODE = 'Node.js 22 or 20 (20.11 or later)';

/** Why this Node.js version cannot run a gateway, or undefined when it can. `version` as in process.versions.node. */
export function unsupportedNodeReason(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major === 22 || (major === 20 && minor >= 11)) return undefined;
  if (major >= 24) {
    return (
      `Node.js ${version} is not supported: on Node 24 and later the SQLite driver (better-sqlite3 12) aborts the ` +
      `process during garbage collection (nodejs/node#65446). Run ${SUPPORTED_NODE}.`
    );
  }
  return `Node.js ${version} is not supported (untested). Run ${SUPPORTED_NODE}.`;
}
