import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_FILE = 'admin-token';

/**
 * The admin token: from PORTCULLIS_ADMIN_TOKEN or the config; otherwise the one stored in the data dir, or a new
 * one written there with mode 0600. `generated` is true only when a new one was made, so it is printed once.
 */
export function resolveAdminToken(
  dataDir: string,
  configured: string | undefined,
): { token: string; generated: boolean; file?: string } {
  if (configured !== undefined) return { token: configured, generated: false };
  const file = join(dataDir, TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, generated: false, file };
  }
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, generated: true, file };
}

/**
 * Constant-time check of `Authorization: Bearer <token>`. Both sides are hashed first so the comparison has a
 * fixed length and leaks neither the token's content nor its length.
 */
export function createTokenCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (authorization) => {
    if (authorization === undefined || !authorization.startsWith('Bearer ')) return false;
    const given = createHash('sha256').update(authorization.slice(7).trim()).digest();
    return timingSafeEqual(given, expected);
  };
}
