import type { IncomingMessage } from 'node:http';
import type { RequestContext } from './context.ts';

/**
 * Reading the request body, for stages that must see it (inspection, account extraction). Only a prefix is read
 * (`limit` bytes and the chunk that crossed it); the stream is paused there and the forward stage sends the prefix
 * followed by the rest, so a large upload is never held in memory whole.
 */
export function requestHasBody(req: IncomingMessage): boolean {
  const cl = req.headers['content-length'];
  if (cl !== undefined) return cl !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

export function declaredBodyLength(req: IncomingMessage): number | undefined {
  const cl = req.headers['content-length'];
  if (cl === undefined || !/^\d{1,15}$/.test(cl)) return undefined;
  return Number(cl);
}

function readPrefix(req: IncomingMessage, limit: number): Promise<{ bytes: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (complete: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), complete });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish(false);
      }
    };
    const onEnd = () => finish(true);
    const onError = (error: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      reject(error);
    };
    // A client that goes away mid-upload: what arrived is inspected, nothing is forwarded (forward sees the abort).
    const onClose = () => {
      if (!req.complete) onError(new Error('client closed the connection before the body ended'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * The body prefix, read once per request and kept on the context; `undefined` when the request has none.
 * Safe to call from several stages: the second call returns what the first read.
 */
export async function readBody(ctx: RequestContext, limit: number): Promise<Buffer | undefined> {
  const body = ctx.body;
  if (body.kind === 'none') return undefined;
  if (body.kind === 'buffered') return body.bytes;
  const { bytes, complete } = await readPrefix(ctx.req, limit);
  ctx.body = { kind: 'buffered', bytes, complete };
  return bytes;
}
