/**
 * @module
 * The account model kept in a vault, its argument checks, and its payload encoding. Account objects
 * handed out are frozen snapshots holding their own copy of the secret; `util.inspect`, `console.log`
 * and `JSON.stringify` show every field except the secret.
 */
import { randomUUID } from 'node:crypto';
import { algorithmArgument, type HashAlgorithm, integerArgument, isBytes } from '@mfakit/core/validate';
import { fromBase64, toBase64 } from './base64.js';
import { vaultError } from './errors.js';
import { type FormatVersion, isId } from './format.js';

/** Time-based (RFC 6238) or counter-based (RFC 4226) one-time codes. */
/**
 * `totp` (RFC 6238), `hotp` (RFC 4226), or `steam`: a Steam Guard token (TOTP, SHA1, 30 s, whose
 * codes are 5 characters of Steam's alphabet; `digits` is 5).
 */
export type AccountType = 'totp' | 'hotp' | 'steam';

/** What a Steam Guard account always has: Steam lets no one choose another. */
export const STEAM_PARAMETERS = { algorithm: 'SHA1', digits: 5, period: 30, counter: 0 } as const;

/**
 * One authenticator account in a vault, as the vault hands it out: a frozen snapshot holding its
 * own copy of the secret. `JSON.stringify`, `util.inspect` and `console.log` show every field
 * but the secret (`[redacted]`); reading `account.secret` directly still gives the raw bytes, so
 * never log or serialise it some other way. `Vault.close()` wipes the secrets of the snapshots
 * it currently hands out.
 */
export interface Account {
  /** Random UUID assigned by the vault. */
  readonly id: string;
  /** `totp` or `hotp`. */
  readonly type: AccountType;
  /** Service name, e.g. "GitHub" (may be empty). */
  readonly issuer: string;
  /** Account name at the issuer, e.g. "alice@example.com" (may be empty when issuer is not). */
  readonly name: string;
  /** The shared secret (raw bytes, not base32). A copy: changing it does not change the vault. */
  readonly secret: Uint8Array;
  /** HMAC hash of the codes (RFC 6238 §1.2; SHA1 for nearly every site). */
  readonly algorithm: HashAlgorithm;
  /** Code length, 6–10. */
  readonly digits: number;
  /** TOTP step in seconds (kept for HOTP accounts too, unused there). */
  readonly period: number;
  /** HOTP: the counter of the next code. 0 for TOTP accounts. */
  readonly counter: number;
  /** Free text from the user. */
  readonly note: string;
  /** Milliseconds since the Unix epoch. */
  readonly createdAt: number;
}

/**
 * An account to add: at least an `issuer` or a `name`, and the secret. Limits (checked by
 * `Vault.addAccount`, `TypeError` for a wrong type, `RangeError` out of range): issuer and name up
 * to 1 024 characters, note up to 16 384, secret 1–1 024 bytes (short legacy secrets are accepted:
 * the vault stores what a site issued), digits 6–10, period 1–86 400 s, counter 0 to 2^53 − 1.
 */
export interface NewAccount {
  /** Default 'totp'. */
  type?: AccountType;
  /** Service name, e.g. "GitHub". Default empty. */
  issuer?: string;
  /** Account name at the issuer, e.g. "alice@example.com". Default empty. */
  name?: string;
  /** The shared secret as raw bytes (decode base32 with `base32Decode` from @mfakit/core first). The vault keeps a copy. */
  secret: Uint8Array;
  /** Default 'SHA1'. */
  algorithm?: HashAlgorithm;
  /** Default 6 (5 for a Steam account, the only length it may have). */
  digits?: number;
  /** Default 30. */
  period?: number;
  /** Default 0. */
  counter?: number;
  /** Free text. Default empty. */
  note?: string;
}

/** Fields to change in `Vault.updateAccount`; `undefined` fields keep their value. Same limits as {@link NewAccount}. */
export type AccountChanges = Partial<NewAccount>;

const MAX_TEXT = 1024;
const MAX_NOTE = 16 * 1024;
const MAX_SECRET_BYTES = 1024;
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * The checked, frozen {@link Account} that `Vault.addAccount` stores for `input` (defaults filled
 * in, a random UUID as id, its own copy of the secret), created at `createdAt` (ms since the
 * epoch), without a vault: for checking input early and for in-memory fakes of a vault in an app's
 * tests. Throws `TypeError` or `RangeError` naming the field (limits under {@link NewAccount});
 * messages never contain the secret.
 */
export function newAccountRecord(input: NewAccount, createdAt: number): Account {
  if (typeof input !== 'object' || input === null) throw new TypeError('account must be an object');
  return makeAccount(
    checkFields({
      id: randomUUID(),
      type: input.type ?? 'totp',
      issuer: input.issuer ?? '',
      name: input.name ?? '',
      secret: input.secret,
      algorithm: input.algorithm ?? 'SHA1',
      digits: input.digits ?? (input.type === 'steam' ? STEAM_PARAMETERS.digits : 6),
      period: input.period ?? 30,
      counter: input.counter ?? 0,
      note: input.note ?? '',
      createdAt,
    }),
  );
}

export function changedAccountRecord(account: Account, changes: AccountChanges): Account {
  if (typeof changes !== 'object' || changes === null) throw new TypeError('changes must be an object');
  const next: Record<string, unknown> = { ...account, secret: account.secret };
  for (const field of [
    'type',
    'issuer',
    'name',
    'secret',
    'algorithm',
    'digits',
    'period',
    'counter',
    'note',
  ] as const) {
    if (changes[field] !== undefined) next[field] = changes[field];
  }
  return makeAccount(checkFields(next));
}

function checkFields(fields: Record<string, unknown>): Account {
  const { type, issuer, name, secret, algorithm, digits, period, counter, note } = fields;
  if (type !== 'totp' && type !== 'hotp' && type !== 'steam') {
    throw new RangeError("type must be 'totp', 'hotp' or 'steam'");
  }
  text(issuer, 'issuer', MAX_TEXT);
  text(name, 'name', MAX_TEXT);
  text(note, 'note', MAX_NOTE);
  if (issuer === '' && name === '') throw new RangeError('an account needs an issuer or a name');
  if (!isBytes(secret)) {
    throw new TypeError('secret must be a Uint8Array; decode base32 text with base32Decode() from @mfakit/core');
  }
  if (secret.length === 0 || secret.length > MAX_SECRET_BYTES) {
    throw new RangeError(`secret must be 1 to ${MAX_SECRET_BYTES} bytes`);
  }
  algorithmArgument(algorithm);
  integerArgument(digits, 'digits', type === 'steam' ? 5 : 6, 10);
  integerArgument(period, 'period', 1, 86_400);
  integerArgument(counter, 'counter', 0, Number.MAX_SAFE_INTEGER);
  if (type === 'steam') {
    for (const field of ['algorithm', 'digits', 'period', 'counter'] as const) {
      if (fields[field] !== STEAM_PARAMETERS[field]) {
        throw new RangeError(`a Steam account's ${field} must be ${STEAM_PARAMETERS[field]}`);
      }
    }
  }
  integerArgument(fields.createdAt, 'createdAt', 0, 8.64e15);
  return fields as unknown as Account;
}

function text(value: unknown, name: string, max: number): void {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  if (value.length > max) throw new RangeError(`${name} must be at most ${max} characters`);
}

/** An independent frozen copy (own secret bytes). */
export function copyAccount(account: Account): Account {
  return makeAccount(account);
}

/** A frozen snapshot with its own copy of the secret and redacted inspect/JSON views. */
function makeAccount(fields: Account): Account {
  const account = {
    id: fields.id,
    type: fields.type,
    issuer: fields.issuer,
    name: fields.name,
    secret: new Uint8Array(fields.secret),
    algorithm: fields.algorithm,
    digits: fields.digits,
    period: fields.period,
    counter: fields.counter,
    note: fields.note,
    createdAt: fields.createdAt,
  };
  const redacted = () => ({ ...account, secret: '[redacted]' });
  Object.defineProperty(account, 'toJSON', { value: redacted });
  Object.defineProperty(account, inspectSymbol, {
    value: (_depth: number, options: object, inspect: (value: unknown, options: object) => string) =>
      `Account ${inspect(redacted(), options)}`,
  });
  return Object.freeze(account);
}

/** Payload plaintext: `{"accounts":[...]}` with secrets in base64. */
export function encodeAccounts(accounts: readonly Account[]): Uint8Array {
  const records = accounts.map((account) => ({
    id: account.id,
    type: account.type,
    issuer: account.issuer,
    name: account.name,
    secret: toBase64(account.secret),
    algorithm: account.algorithm,
    digits: account.digits,
    period: account.period,
    counter: account.counter,
    note: account.note,
    createdAt: account.createdAt,
  }));
  return new TextEncoder().encode(JSON.stringify({ accounts: records }));
}

/** The lowest format version that holds `accounts`: 2 when one is a Steam account, else 1. */
export function formatVersionFor(accounts: readonly Account[]): FormatVersion {
  return accounts.some((account) => account.type === 'steam') ? 2 : 1;
}

/** The accounts of a payload written in format `version` (a version 1 file has no Steam account). */
export function decodeAccounts(plaintext: Uint8Array, version: FormatVersion): Account[] {
  const invalid = () =>
    vaultError(
      'vault_corrupt',
      'The vault decrypted but its account list is not valid. Restore the backup (".bak", then open it once with ' +
        'MFAKIT_ACCEPT_ROLLBACK=1).',
    );
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw invalid();
  }
  const records = (json as { accounts?: unknown } | null)?.accounts;
  if (!Array.isArray(records)) throw invalid();
  const seen = new Set<string>();
  return records.map((record: unknown) => {
    const fields = record as Record<string, unknown> | null;
    if (typeof fields !== 'object' || fields === null || !isId(fields.id) || seen.has(fields.id)) throw invalid();
    if (typeof fields.secret !== 'string') throw invalid();
    seen.add(fields.id);
    try {
      if (fields.type === 'steam' && version < 2) throw invalid();
      return makeAccount(checkFields({ ...fields, secret: fromBase64(fields.secret) }));
    } catch {
      throw invalid();
    }
  });
}
