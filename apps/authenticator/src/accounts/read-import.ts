/**
 * @module
 * What `import` (CLI and TUI) accepts, detected from the content: an Aegis JSON export (plain, or
 * encrypted with a password); the plain exports of 2FAS, andOTP, FreeOTP+ and Bitwarden; or text
 * with one URI per line — `otpauth://` URIs and/or the
 * `otpauth-migration://` URIs of one Google Authenticator transfer. Blank lines and `#` comments are
 * ignored. Steam Guard tokens (`otpauth://steam/…`, `encoder=steam`, and Steam entries of the other
 * apps' exports) are imported. Entries that cannot be imported are reported, never silently dropped.
 */
import { isMfaError, MfaError } from '@mfakit/core';
import type { OtpAccount } from '@mfakit/otpauth';
import type { NewAccount } from '@mfakit/vault';
import { fromOtpAccount } from './convert.js';

export type ImportFormat =
  | 'aegis'
  | 'uri-list'
  | 'google-authenticator'
  | '2fas'
  | 'andotp'
  | 'freeotp-plus'
  | 'bitwarden';

export interface ImportSkip {
  /** "line 3", "entry 2": where, never the content. */
  where: string;
  label: string;
  message: string;
}

export interface ImportResult {
  format: ImportFormat;
  accounts: NewAccount[];
  skipped: ImportSkip[];
}

export class ImportPasswordRequired extends MfaError<'aegis_password_required'> {
  constructor() {
    super('aegis_password_required', 'This Aegis export is encrypted: give its password.');
  }
}

/** Parses the text of a file or a pasted URI. `password` opens encrypted Aegis exports. */
export async function readImport(text: string, password?: string): Promise<ImportResult> {
  const otpauth = await import('@mfakit/otpauth');
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  const other = otherAppExport(otpauth, trimmed);
  if (other !== undefined) {
    const result = other.parse(trimmed);
    return {
      format: other.format,
      accounts: result.accounts.map((account) => fromOtpAccount(account)),
      skipped: result.skipped.map((skip) => ({
        where: `entry ${skip.index + 1}`,
        label: skip.issuer === undefined ? skip.account : `${skip.issuer} (${skip.account})`,
        message: skip.message,
      })),
    };
  }
  if (trimmed.startsWith('{')) {
    let result: Awaited<ReturnType<typeof otpauth.decryptAegisVault>>;
    try {
      result =
        password === undefined ? otpauth.parseAegisVault(trimmed) : await otpauth.decryptAegisVault(trimmed, password);
    } catch (error) {
      if (isMfaError(error) && error.code === 'aegis_password_required') throw new ImportPasswordRequired();
      throw error;
    }
    return {
      format: 'aegis',
      accounts: result.accounts.map((account) => fromOtpAccount(account, account.note)),
      skipped: result.skipped.map((skip) => ({
        where: `entry ${skip.index + 1}`,
        label: skip.issuer === undefined ? skip.account : `${skip.issuer} (${skip.account})`,
        message: skip.message,
      })),
    };
  }

  const lines = trimmed.split(/\r?\n/).map((line, index) => ({ line: line.trim(), number: index + 1 }));
  const content = lines.filter(({ line }) => line !== '' && !line.startsWith('#'));
  if (content.length === 0) throw new MfaError('invalid_uri', 'Nothing to import: the input has no URI.');
  const migration = content.filter(({ line }) => line.toLowerCase().startsWith('otpauth-migration:'));
  const plain = content.filter(({ line }) => !line.toLowerCase().startsWith('otpauth-migration:'));
  const accounts: OtpAccount[] = [];
  const skipped: ImportSkip[] = [];
  for (const { line, number } of plain) {
    // Yandex (Aegis writes otpauth://yaotp/) and mOTP: the same words as every other import uses.
    const other = /^(?:otpauth:\/\/(yandex|yaotp|motp)\/|(motp):\/\/)/i.exec(line);
    if (other !== null) {
      const name = (other[1] ?? other[2] ?? '').toLowerCase() === 'motp' ? 'mOTP' : 'Yandex';
      skipped.push({
        where: `line ${number}`,
        label: '',
        message: `is a ${name} token, which mfakit does not support; it was not imported.`,
      });
      continue;
    }
    try {
      accounts.push(otpauth.parseOtpauthUri(line));
    } catch (error) {
      if (!isMfaError(error)) throw error;
      skipped.push({ where: `line ${number}`, label: '', message: error.message });
    }
  }
  // A file may hold several transfers (one saved after another): each batch is imported whole.
  for (const [batch, lines] of migrationBatches(otpauth, migration)) {
    const result = otpauth.importMigrationUris(lines.map(({ line }) => line));
    accounts.push(...result.accounts);
    for (const skip of result.skipped) {
      skipped.push({
        where: `transfer${batch}entry ${skip.index + 1}`,
        label: skip.issuer === undefined ? skip.account : `${skip.issuer} (${skip.account})`,
        message: skip.message,
      });
    }
  }
  return {
    format: migration.length > 0 ? 'google-authenticator' : 'uri-list',
    accounts: accounts.map((account) => fromOtpAccount(account)),
    skipped,
  };
}

type Numbered = { line: string; number: number };

/**
 * Transfer codes grouped by export (batch id), in the order first seen; the key is how entries
 * are named (" " for a single export, " 2 " for the second of several).
 */
function migrationBatches(otpauth: typeof import('@mfakit/otpauth'), lines: Numbered[]): [string, Numbered[]][] {
  const groups = new Map<number | string, Numbered[]>();
  for (const numbered of lines) {
    let id: number | string;
    try {
      const batch = otpauth.parseMigrationUri(numbered.line);
      id = batch.batchId;
      for (const account of batch.accounts) account.secret.fill(0);
    } catch {
      // Broken codes go with the first export, whose import reports them.
      id = groups.keys().next().value ?? 'first';
    }
    groups.set(id, [...(groups.get(id) ?? []), numbered]);
  }
  const batches = [...groups.values()];
  return batches.map((group, index) => [batches.length === 1 ? ' ' : ` ${index + 1} `, group]);
}

type OtpauthModule = typeof import('@mfakit/otpauth');

/** The reader of a 2FAS, andOTP, FreeOTP+ or Bitwarden export, told apart by the JSON's shape. */
function otherAppExport(
  otpauth: OtpauthModule,
  text: string,
): { format: ImportFormat; parse: (text: string) => import('@mfakit/otpauth').ExportImport } | undefined {
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined; // the Aegis reader says what is wrong with it
  }
  if (otpauth.isTwoFasExport(json)) return { format: '2fas', parse: otpauth.parseTwoFasExport };
  if (otpauth.isFreeOtpPlusExport(json)) return { format: 'freeotp-plus', parse: otpauth.parseFreeOtpPlusExport };
  if (otpauth.isBitwardenExport(json)) return { format: 'bitwarden', parse: otpauth.parseBitwardenExport };
  if (otpauth.isAndOtpExport(json)) return { format: 'andotp', parse: otpauth.parseAndOtpExport };
  return undefined;
}
