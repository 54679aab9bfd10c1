import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PortcullisError } from '../../core/errors.ts';

/**
 * Challenge signing keys. One 32-byte master key lives in the data dir (`challenge.key`, mode 0600, created on
 * first start); the key of each rotation epoch is HMAC-SHA256(master, "portcullis challenge epoch <n>"), so keys
 * rotate every `rotationMs` with no coordination and every node sharing the master derives the same keys.
 * Tokens of the current and the previous epoch verify; older ones are forged by definition. Deleting the file
 * revokes every outstanding token at the next start. (Dangerous defaults: docs/rationale.md, "Challenge crypto".)
 */
export const MASTER_KEY_FILE = 'challenge.key';

export function loadMasterKey(dataDir: string): Buffer {
  const path = join(dataDir, MASTER_KEY_FILE);
  try {
    try {
      const key = readFileSync(path);
      if (key.length >= 32) return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32);
    writeFileSync(path, key, { mode: 0o600 });
    chmodSync(path, 0o600);
    return key;
  } catch (cause) {
    throw new PortcullisError(
      'PC_ERR_BEHAVIOUR_CHALLENGE_KEY',
      `cannot read or create ${path} (${(cause as Error).message}); fix the data dir permissions`,
      { cause },
    );
  }
}

export class ChallengeSecrets {
  readonly #master: Buffer;
  readonly #rotationMs: number;
  readonly #cache = new Map<number, Buffer>();

  constructor(master: Buffer, rotationMs: number) {
    if (master.length < 32) throw new RangeError('the challenge master key must be at least 32 bytes');
    this.#master = master;
    this.#rotationMs = rotationMs;
  }

  /** 0 when rotation is off. */
  epoch(now: number): number {
    return this.#rotationMs > 0 ? Math.floor(now / this.#rotationMs) : 0;
  }

  /** The key of an epoch; undefined for epochs that may no longer (or not yet) sign. */
  key(epoch: number, now: number): Buffer | undefined {
    const current = this.epoch(now);
    if (epoch !== current && epoch !== current - 1) return undefined;
    let key = this.#cache.get(epoch);
    if (key === undefined) {
      key = createHmac('sha256', this.#master).update(`portcullis challenge epoch ${epoch}`).digest();
      this.#cache.set(epoch, key);
      for (const old of this.#cache.keys()) if (old < current - 1) this.#cache.delete(old);
    }
    return key;
  }
}
