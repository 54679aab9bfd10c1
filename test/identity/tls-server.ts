import { readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCert as certFiles } from '../helpers/tls-cert.ts';
import { attachTlsFingerprinting, tlsFingerprintOf } from '../../src/identity/tls-fingerprint.ts';
import type { TlsFingerprint } from '../../src/pipeline/context.ts';

/** The shared throw-away certificate (test/helpers/tls-cert.ts), read into memory for an in-process server. */
export function selfSignedCert(): { key: Buffer; cert: Buffer } {
  const files = certFiles();
  try {
    return { key: readFileSync(files.key), cert: readFileSync(files.cert) };
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
}

/** An HTTPS server that answers every request with the fingerprint of the connection it came on. */
export async function fingerprintEchoServer(
  fingerprint = true,
): Promise<{ url: string; server: https.Server; close(): Promise<void> }> {
  const server = https.createServer(selfSignedCert(), (req, res) => {
    const fp: TlsFingerprint | undefined = tlsFingerprintOf(req.socket);
    res.setHeader('content-type', 'application/json');
    res.setHeader('connection', 'close');
    res.end(JSON.stringify(fp ?? null));
  });
  if (fingerprint) attachTlsFingerprinting(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
