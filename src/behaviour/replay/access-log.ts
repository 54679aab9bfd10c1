/**
 * Access-log lines for `portcullis replay`: the NCSA combined format (Apache `%h %l %u %t "%r" %>s %b
 * "%{Referer}i" "%{User-agent}i"`, nginx's default `combined`) and JSON lines (Portcullis' own access log, and
 * the common field names of nginx/Envoy/ALB JSON logs). A line that is neither gives `undefined`, and the
 * replay counts it as skipped instead of guessing.
 */
export interface LogRecord {
  /** Epoch ms. */
  readonly time: number;
  readonly ip: string;
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly status: number;
  readonly userAgent?: string;
  /** The authenticated user (`%u`), when the log has one. */
  readonly user?: string;
}

const COMBINED =
  /^(\S+) \S+ (\S+) \[([^\]]+)\] "([A-Z]{3,10}) (\S+)(?: HTTP\/[\d.]+)?" (\d{3}) \S+(?: "(?:[^"\\]|\\.)*" "((?:[^"\\]|\\.)*)")?/;
const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** `10/Oct/2000:13:55:36 -0700` → epoch ms. */
export function parseClfTime(text: string): number | undefined {
  const m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  const month = m ? MONTHS[m[2]!] : undefined;
  if (!m || month === undefined) return undefined;
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offset = (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return m[7] === '+' ? utc - offset : utc + offset;
}

function splitTarget(target: string): { path: string; rawQuery: string } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, rawQuery: '' } : { path: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

export function parseCombined(line: string): LogRecord | undefined {
  const m = COMBINED.exec(line);
  if (!m) return undefined;
  const time = parseClfTime(m[3]!);
  if (time === undefined) return undefined;
  const { path, rawQuery } = splitTarget(m[5]!);
  const ua = m[7];
  return {
    time,
    ip: m[1]!,
    method: m[4]!,
    path,
    rawQuery,
    status: Number(m[6]),
    ...(ua !== undefined && ua !== '-' && ua !== '' && { userAgent: ua }),
    ...(m[2] !== '-' && { user: m[2]! }),
  };
}

function pick(o: Record<string, unknown>, names: readonly string[]): unknown {
  for (const n of names) if (o[n] !== undefined && o[n] !== null) return o[n];
  return undefined;
}

export function parseJsonLine(line: string): LogRecord | undefined {
  let o: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    o = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const ip = pick(o, ['ip', 'clientIp', 'client_ip', 'remote_addr', 'remoteAddr', 'client']);
  const method = pick(o, ['method', 'request_method', 'httpMethod']);
  const target = pick(o, ['path', 'uri', 'request_uri', 'url', 'requestUri']);
  const status = Number(pick(o, ['status', 'status_code', 'statusCode', 'response_status']));
  const rawTime = pick(o, ['time', 'timestamp', 'ts', '@timestamp', 'time_iso8601', 'time_local']);
  if (typeof ip !== 'string' || typeof method !== 'string' || typeof target !== 'string' || !(status > 0)) {
    return undefined;
  }
  let time: number | undefined;
  if (typeof rawTime === 'number') time = rawTime < 1e12 ? rawTime * 1000 : rawTime;
  else if (typeof rawTime === 'string') time = Date.parse(rawTime) || parseClfTime(rawTime);
  if (time === undefined || Number.isNaN(time)) return undefined;
  const split = splitTarget(target.startsWith('http') ? target.replace(/^https?:\/\/[^/]+/, '') : target);
  const query = pick(o, ['query', 'rawQuery', 'query_string', 'args']);
  const ua = pick(o, ['userAgent', 'user_agent', 'http_user_agent', 'ua']);
  const user = pick(o, ['user', 'remote_user', 'principal']);
  return {
    time,
    ip,
    method: method.toUpperCase(),
    path: split.path,
    rawQuery: typeof query === 'string' && split.rawQuery === '' ? query.replace(/^\?/, '') : split.rawQuery,
    status,
    ...(typeof ua === 'string' && ua !== '' && ua !== '-' && { userAgent: ua }),
    ...(typeof user === 'string' && user !== '' && user !== '-' && { user }),
  };
}
