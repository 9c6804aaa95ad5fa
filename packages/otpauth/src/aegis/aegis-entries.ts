/**
 * @module
 * The content ("db") of an Aegis vault ⇄ accounts. Format: Aegis docs/vault.md, "Content" and
 * "Entries"; db version 1 and 2 name one group per entry (`group`), version 3 lists group uuids
 * per entry (`groups`) and the groups themselves in `db.groups`.
 */

import { base32Decode, base32Encode } from '@mfakit/core';
import { isIntegerInRange, isRecord, isRfc6238Algorithm } from '@mfakit/core/validate';
import {
  checkCounter,
  checkDigits,
  checkPeriod,
  describePosition,
  MAX_PERIOD,
  normalizeAccount,
  type OtpAccount,
  type OtpAccountInput,
  STEAM_DIGITS,
  STEAM_PERIOD,
} from '../account.js';
import { invalidAegisVault, otpauthError } from '../errors.js';
import { MAX_IMPORTED_SECRET_BYTES, type SkippedEntry, unsupportedTokenMessage } from '../skipped-entry.js';
import { randomUuid } from './random-uuid.js';

/** Entry fields Aegis keeps besides the OTP parameters. */
export interface AegisMetadata {
  /** Entry UUID (version 4). */
  uuid: string;
  note: string;
  favorite: boolean;
  /** Names of the groups the entry is in. */
  groups: readonly string[];
}

/** An account read from an Aegis vault, with its Aegis metadata. */
export type AegisAccount = OtpAccount & AegisMetadata;

/** What exports accept: any account, optionally with Aegis metadata. */
export type AegisAccountInput = OtpAccountInput & Partial<AegisMetadata>;

/** What an Aegis import gives: the accounts, the entries skipped, and the vault's groups. */
export interface AegisImport {
  accounts: AegisAccount[];
  /** Entries not imported (Yandex, mOTP, MD5, broken entries), with the reason. */
  skipped: SkippedEntry[];
  /** Names of all groups of the vault, including empty ones. */
  groups: string[];
}

/** Entries one vault may hold: far above real vaults (hundreds), bounds the work per file. */
export const MAX_AEGIS_ENTRIES = 10_000;

/** Newest content version known (Aegis 3.x writes 3). */
export const AEGIS_DB_VERSION = 3;

type Json = Record<string, unknown>;

/** Converts a decrypted or plain `db` object. */
export function accountsFromAegisDb(db: unknown): AegisImport {
  if (!isRecord(db)) throw invalidAegisVault('The vault has no content (db): it is not an Aegis export.');
  const version = db.version;
  if (!isIntegerInRange(version, 1, Number.MAX_SAFE_INTEGER)) {
    throw invalidAegisVault('The vault content has no valid version number: it is not an Aegis export.');
  }
  if (version > AEGIS_DB_VERSION) {
    throw invalidAegisVault(
      `The vault content is version ${version}, newer than the ${AEGIS_DB_VERSION} this version reads: export it from Aegis in an older format or update mfakit.`,
    );
  }
  if (!Array.isArray(db.entries))
    throw invalidAegisVault('The vault content has no entries list: it is not an Aegis export.');
  if (db.entries.length > MAX_AEGIS_ENTRIES) {
    throw invalidAegisVault(
      `The vault has ${db.entries.length} entries; at most ${MAX_AEGIS_ENTRIES} are read: it is damaged or not from Aegis.`,
    );
  }

  const groupNames = new Map<string, string>();
  if (db.groups !== undefined && db.groups !== null) {
    if (!Array.isArray(db.groups)) throw invalidAegisVault('The vault groups are not a list: the file is damaged.');
    for (const group of db.groups) {
      if (isRecord(group) && typeof group.uuid === 'string' && typeof group.name === 'string') {
        groupNames.set(group.uuid, group.name);
      }
    }
  }

  const accounts: AegisAccount[] = [];
  const skipped: SkippedEntry[] = [];
  db.entries.forEach((entry: unknown, index: number) => {
    const converted = accountFromEntry(entry, index, groupNames);
    if ('skipped' in converted) skipped.push(converted.skipped);
    else accounts.push(converted.account);
  });
  const groups = [...new Set([...groupNames.values(), ...accounts.flatMap((account) => account.groups)])];
  return { accounts, skipped, groups };
}

function accountFromEntry(
  entry: unknown,
  index: number,
  groupNames: ReadonlyMap<string, string>,
): { account: AegisAccount } | { skipped: SkippedEntry } {
  const name = isRecord(entry) && typeof entry.name === 'string' ? entry.name : '';
  const issuer = isRecord(entry) && typeof entry.issuer === 'string' ? entry.issuer : '';
  const skip = (reason: SkippedEntry['reason'], message: string) => ({
    skipped: { index, account: name, ...(issuer === '' ? {} : { issuer }), reason, message: `This entry ${message}` },
  });
  if (!isRecord(entry) || !isRecord(entry.info))
    return skip('invalid_entry', 'has no OTP parameters (info); it was not imported.');
  if (typeof entry.name !== 'string') return skip('invalid_entry', 'has no name; it was not imported.');
  const info = entry.info;
  const type = entry.type;
  if (type !== 'totp' && type !== 'hotp' && type !== 'steam') {
    const other = typeof type === 'string' ? unsupportedTokenMessage(type) : undefined;
    return skip('unsupported_type', other ?? 'has an OTP type this version does not know; it was not imported.');
  }
  // Aegis writes a Steam entry with SHA1, 5 digits and 30 s, the parameters Steam fixes.
  const algorithm =
    type === 'steam'
      ? 'SHA1'
      : typeof info.algo === 'string'
        ? info.algo.toUpperCase()
        : info.algo === undefined
          ? 'SHA1'
          : '';
  if (!isRfc6238Algorithm(algorithm)) {
    return skip(
      'unsupported_algorithm',
      algorithm === 'MD5'
        ? 'uses MD5, which mfakit and RFC 6238 do not support; it was not imported.'
        : 'uses an algorithm other than SHA1, SHA256, SHA512; it was not imported.',
    );
  }
  const digits: unknown = type === 'steam' ? STEAM_DIGITS : (info.digits ?? 6);
  if (typeof digits !== 'number' || (type !== 'steam' && !isValid(() => checkDigits(digits, '')))) {
    return skip('unsupported_digits', 'has a code length other than 6, 7 or 8 digits; it was not imported.');
  }
  if (typeof info.secret !== 'string') return skip('invalid_secret', 'has no secret; it was not imported.');
  const tooLong = `has a secret longer than ${MAX_IMPORTED_SECRET_BYTES} bytes, which no authenticator uses; it was not imported.`;
  // Base32 carries 5 bits per character (plus spaces): refuse a text far too long before decoding it.
  if (info.secret.length > MAX_IMPORTED_SECRET_BYTES * 4) return skip('invalid_secret', tooLong);
  let secret: Uint8Array;
  try {
    secret = base32Decode(info.secret);
  } catch {
    return skip('invalid_secret', 'has a secret that is not valid base32; it was not imported.');
  }
  if (secret.length > MAX_IMPORTED_SECRET_BYTES) {
    secret.fill(0);
    return skip('invalid_secret', tooLong);
  }
  const metadata = {
    uuid: typeof entry.uuid === 'string' && entry.uuid !== '' ? entry.uuid : randomUuid(),
    note: typeof entry.note === 'string' ? entry.note : '',
    favorite: entry.favorite === true,
    groups: groupsOf(entry, groupNames),
  };
  const base = { secret, account: entry.name, ...(issuer === '' ? {} : { issuer }), algorithm, digits };
  if (type === 'hotp') {
    const counter = info.counter ?? 0;
    if (typeof counter !== 'number' || !isValid(() => checkCounter(counter, ''))) {
      return skip('invalid_counter', `has a counter outside 0…${Number.MAX_SAFE_INTEGER}; it was not imported.`);
    }
    return { account: { type, ...base, counter, ...metadata } };
  }
  if (type === 'steam') return { account: { type, ...base, period: STEAM_PERIOD, ...metadata } };
  const period = info.period ?? 30;
  if (typeof period !== 'number' || !isValid(() => checkPeriod(period, ''))) {
    return skip('invalid_period', `has a period outside 1…${MAX_PERIOD} seconds; it was not imported.`);
  }
  return { account: { type, ...base, period, ...metadata } };
}

function groupsOf(entry: Json, groupNames: ReadonlyMap<string, string>): string[] {
  if (Array.isArray(entry.groups)) {
    const names = entry.groups.flatMap((uuid: unknown) => {
      const name = typeof uuid === 'string' ? groupNames.get(uuid) : undefined;
      return name === undefined ? [] : [name];
    });
    return [...new Set(names)];
  }
  // db version 1–2: one group, by name.
  return typeof entry.group === 'string' && entry.group !== '' ? [entry.group] : [];
}

function isValid(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/** Builds a version 3 `db` object. Group uuids are derived fresh for every export. */
export function aegisDbFromAccounts(inputs: readonly AegisAccountInput[]): Json {
  if (!Array.isArray(inputs)) throw new TypeError('Aegis export expects an array of accounts');
  const groupIds = new Map<string, string>();
  const entries = inputs.map((input, index) => {
    const account = normalizeAccount(input, describePosition(index));
    // Aegis computes TOTP/HOTP with RFC 6238's three only (MD5 is for mOTP, not supported here).
    if (!isRfc6238Algorithm(account.algorithm)) {
      throw otpauthError(
        'unsupported_algorithm',
        `${describePosition(index)} uses ${account.algorithm}; Aegis computes only SHA1, SHA256 and SHA512. Export it as an otpauth URI instead.`,
      );
    }
    const groups = input.groups ?? [];
    if (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string')) {
      throw new TypeError(`${describePosition(index)}: groups must be an array of group names`);
    }
    const groupUuids = [...new Set(groups)].map((group) => {
      let uuid = groupIds.get(group);
      if (uuid === undefined) {
        uuid = randomUuid();
        groupIds.set(group, uuid);
      }
      return uuid;
    });
    return {
      type: account.type,
      uuid: typeof input.uuid === 'string' && input.uuid !== '' ? input.uuid : randomUuid(),
      name: account.account,
      issuer: account.issuer ?? '',
      note: typeof input.note === 'string' ? input.note : '',
      favorite: input.favorite === true,
      icon: null,
      info: {
        secret: base32Encode(account.secret),
        algo: account.algorithm,
        digits: account.digits,
        ...(account.type === 'hotp' ? { counter: account.counter } : { period: account.period }),
      },
      groups: groupUuids,
    };
  });
  return {
    version: AEGIS_DB_VERSION,
    entries,
    groups: [...groupIds].map(([name, uuid]) => ({ uuid, name })),
  };
}
