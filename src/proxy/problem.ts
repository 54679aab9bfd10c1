import type { ServerResponse } from 'node:http';

/**
 * Errors and blocks reach the client as RFC 9457 problem details with an incident id and nothing else:
 * never the rule that fired or an upstream's internals (style rule 11). The operator finds the why by the id.
 */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  408: 'Request Timeout',
  413: 'Content Too Large',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const DETAILS: Record<number, string> = {
  400: 'The request could not be understood.',
  403: 'The request was refused. If you think this is a mistake, contact the site and quote the incident id.',
  408: 'The request took too long to arrive.',
  413: 'The request body is larger than allowed.',
  429: 'Too many requests. Retry after the time given in Retry-After.',
  431: 'The request headers are larger than allowed.',
  500: 'The gateway hit an unexpected error.',
  502: 'The service behind this gateway could not be reached.',
  503: 'The gateway is shutting down or overloaded; retry shortly.',
  504: 'The service behind this gateway did not answer in time.',
};

export function problemBody(status: number, incidentId: string): string {
  return JSON.stringify({
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: DETAILS[status] ?? 'The request could not be completed.',
    incident: incidentId,
  });
}

export function sendProblem(
  res: ServerResponse,
  status: number,
  incidentId: string,
  extraHeaders?: Record<string, string>,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = problemBody(status, incidentId);
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-portcullis-incident': incidentId,
    ...extraHeaders,
  });
  res.end(body);
}

/** The same problem as raw bytes, for sockets that have no ServerResponse (client errors, refused upgrades). */
export function rawProblem(status: number, incidentId: string): string {
  const body = problemBody(status, incidentId);
  return (
    `HTTP/1.1 ${status} ${TITLES[status] ?? 'Error'}\r\n` +
    'content-type: application/problem+json\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    `x-portcullis-incident: ${incidentId}\r\n` +
    'connection: close\r\n\r\n' +
    body
  );
}
