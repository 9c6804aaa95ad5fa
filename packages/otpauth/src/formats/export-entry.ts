/**
 * @module
 * What the authenticator-export readers (2FAS, andOTP, FreeOTP+, Bitwarden) share: reading the
 * JSON within bounds, and turning one entry's fields into an account — or into a skipped entry
 * that says why, in the same words for every format (a Yandex or mOTP token is named as the Aegis
 * reader names it). Steam Guard tokens are imported with Steam's fixed parameters, whatever the
 * entry says of digits and period. Messages never contain a secret.
 */
import { base32Decode } from '@mfakit/core';
import { isRecord } from '@mfakit/core/validate';
import { normalizeAccount, type OtpAccount } from '../account.js';
import { otpauthError } from '../errors.js';
import { MAX_IMPORTED_SECRET_BYTES, type SkippedEntry, unsupportedTokenMessage } from '../skipped-entry.js';

/** What a reader returns: the accounts, and the entries it could not import with the reason. */
export interface ExportImport {
  accounts: OtpAccount[];
  skipped: SkippedEntry[];
}

/** Far above real exports (a few hundred entries, some kB of icons each), so hostile input stays cheap. */
export const MAX_EXPORT_FILE_LENGTH = 32 * 1024 * 1024;
/** Most entries one export file may have; more is refused before any is converted. */
export const MAX_EXPORT_ENTRIES = 10_000;

export function invalidExport(message: string): Error {
  return otpauthError('invalid_export_file', message);
}

/** Parses the file as JSON, or says it is not the app's export (without quoting it). */
export function readExportJson(text: string, app: string): unknown {
  if (typeof text !== 'string') throw new TypeError(`the ${app} export must be given as a string`);
  if (text.length > MAX_EXPORT_FILE_LENGTH) {
    throw invalidExport(`The file is larger than ${MAX_EXPORT_FILE_LENGTH} characters: it is not a ${app} export.`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw invalidExport(`The file is not JSON: it is not a plain ${app} export.`);
  }
}

export function checkEntryCount(entries: readonly unknown[], app: string): void {
  if (entries.length > MAX_EXPORT_ENTRIES) {
    throw invalidExport(`The ${app} export has ${entries.length} entries; at most ${MAX_EXPORT_ENTRIES} are read.`);
  }
}

export interface EntryFields {
  issuer: string;
  account: string;
  /** Base32 text, or the bytes. */
  secret: string | Uint8Array | undefined;
  /** As the app writes it: "TOTP", "totp", "HOTP", "STEAM"… */
  type: string | undefined;
  algorithm?: unknown;
  digits?: unknown;
  period?: unknown;
  counter?: unknown;
}

/** One entry → an account, or the reason it was skipped. */
export function accountFromFields(
  index: number,
  fields: EntryFields,
): { account: OtpAccount } | { skipped: SkippedEntry } {
  const skip = (reason: SkippedEntry['reason'], message: string) => ({
    skipped: {
      index,
      account: fields.account,
      ...(fields.issuer === '' ? {} : { issuer: fields.issuer }),
      reason,
      message: `This entry ${message}`,
    },
  });
  const type = (fields.type ?? 'totp').toLowerCase();
  const other = unsupportedTokenMessage(type);
  if (other !== undefined) return skip('unsupported_type', other);
  if (type !== 'totp' && type !== 'hotp' && type !== 'steam')
    return skip('unsupported_type', 'has an OTP type mfakit does not know; it was not imported.');
  let secret: Uint8Array;
  if (fields.secret instanceof Uint8Array) secret = fields.secret;
  else if (typeof fields.secret === 'string' && fields.secret.trim() !== '') {
    try {
      secret = base32Decode(fields.secret);
    } catch {
      return skip('invalid_secret', 'has a secret that is not base32; it was not imported.');
    }
  } else return skip('invalid_secret', 'has no secret; it was not imported.');
  if (secret.length === 0 || secret.length > MAX_IMPORTED_SECRET_BYTES) {
    return skip('invalid_secret', 'has an empty or oversized secret; it was not imported.');
  }
  if (type === 'steam') {
    try {
      const account = normalizeAccount(
        { type: 'steam', secret, account: fields.account, issuer: fields.issuer },
        `Entry ${index + 1}`,
      );
      return { account };
    } finally {
      secret.fill(0); // normalizeAccount kept its own copy
    }
  }
  const algorithm =
    fields.algorithm === undefined || fields.algorithm === null ? undefined : String(fields.algorithm).toUpperCase();
  if (algorithm !== undefined && algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') {
    return skip(
      'unsupported_algorithm',
      'uses a hash mfakit does not support (only SHA1, SHA256, SHA512); it was not imported.',
    );
  }
  const number = (value: unknown) => (value === undefined || value === null ? undefined : Number(value));
  try {
    const account = normalizeAccount(
      type === 'hotp'
        ? {
            type: 'hotp',
            secret,
            account: fields.account,
            issuer: fields.issuer,
            algorithm,
            digits: number(fields.digits),
            counter: number(fields.counter) ?? 0,
          }
        : {
            type: 'totp',
            secret,
            account: fields.account,
            issuer: fields.issuer,
            algorithm,
            digits: number(fields.digits),
            period: number(fields.period),
          },
      `Entry ${index + 1}`,
    );
    return { account };
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^Entry \d+: /, '') : 'is not valid';
    return skip('invalid_entry', `cannot be imported: ${message}`);
  } finally {
    secret.fill(0); // normalizeAccount kept its own copy
  }
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

/** Runs `convert` on every entry, collecting accounts and skips. */
export function collect(
  entries: readonly unknown[],
  convert: (entry: unknown, index: number) => { account: OtpAccount } | { skipped: SkippedEntry },
): ExportImport {
  const accounts: OtpAccount[] = [];
  const skipped: SkippedEntry[] = [];
  entries.forEach((entry, index) => {
    const result = convert(entry, index);
    if ('account' in result) accounts.push(result.account);
    else skipped.push(result.skipped);
  });
  return { accounts, skipped };
}
