import type { IdentityConfig } from './config.ts';

/**
 * The account a login request targets, read from its body. The username is trimmed and lower-cased before
 * hashing, because `Alice@Example.com` and `alice@example.com ` are one account to a credential stuffer. Which
 * routes are login routes is configured once, as `behaviour.routes.login` (src/core/route-pattern.ts).
 */
export interface AccountReader {
  readonly fields: readonly (readonly string[])[];
  readonly format: IdentityConfig['accountFormat'];
}

export function accountReader(config: Pick<IdentityConfig, 'accountFields' | 'accountFormat'>): AccountReader {
  return { fields: config.accountFields.map((f) => f.split('.')), format: config.accountFormat };
}

function fromJson(body: Buffer, fields: AccountReader['fields']): string | undefined {
  let root: unknown;
  try {
    root = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  for (const path of fields) {
    let v = root;
    for (const key of path) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        v = undefined;
        break;
      }
      v = (v as Record<string, unknown>)[key];
    }
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

function fromForm(body: Buffer, fields: AccountReader['fields']): string | undefined {
  const form = new URLSearchParams(body.toString('utf8'));
  for (const path of fields) {
    const v = form.get(path.join('.'));
    if (v !== null && v.trim() !== '') return v;
  }
  return undefined;
}

/** The normalised username, or undefined when the body does not name one. */
export function accountFromBody(reader: AccountReader, contentType: string | undefined, body: Buffer): string | undefined {
  const format =
    reader.format !== 'auto'
      ? reader.format
      : /application\/x-www-form-urlencoded/i.test(contentType ?? '')
        ? 'form'
        : 'json';
  const raw = format === 'form' ? fromForm(body, reader.fields) : fromJson(body, reader.fields);
  const name = raw?.trim().toLowerCase();
  return name === undefined || name === '' ? undefined : name;
}
