/**
 * @module
 * Joins the QR codes of one Google Authenticator export ("1 of 3", "2 of 3", …) and checks that
 * none is missing, repeated, or from another export.
 */
import type { OtpAccount } from '../account.js';
import { otpauthError } from '../errors.js';
import type { SkippedEntry } from '../skipped-entry.js';
import { MAX_MIGRATION_URI_LENGTH } from './migration-data.js';
import { type DecodedMigrationUri, decodeMigrationUri, migrationBatch } from './parse-migration-uri.js';

/** What a Google Authenticator transfer import gives. */
export interface MigrationImport {
  /** All accounts, in export order. */
  accounts: OtpAccount[];
  /** Entries not imported; `index` counts across the whole export. */
  skipped: SkippedEntry[];
}

/**
 * QR codes one import reads. Google Authenticator puts 10 accounts in a code, so 100 codes are
 * 1 000 accounts; a real code is at most ~3 000 characters, so 100 of them stay under 512 Ki.
 * Both limits are checked before anything is parsed.
 */
export const MAX_MIGRATION_URIS = 100;
/** Characters all the codes of one import may have together (see {@link MAX_MIGRATION_URIS}). */
export const MAX_MIGRATION_TOTAL_LENGTH = 512 * 1024;

/**
 * Parses every QR code of one export (in any scan order). Throws `MfaError`
 * 'incomplete_migration' when codes are missing, scanned twice, or belong to different exports,
 * saying which to scan; parse errors of a single code are thrown as `parseMigrationUri` does.
 * The work is bounded before it starts: at most {@link MAX_MIGRATION_URIS} codes and
 * {@link MAX_MIGRATION_TOTAL_LENGTH} characters, and each code's batch fields are checked as it
 * is decoded, before any account is converted.
 */
export function importMigrationUris(uris: readonly string[]): MigrationImport {
  if (!Array.isArray(uris)) throw new TypeError('importMigrationUris expects an array of URIs');
  if (uris.length === 0) throw new RangeError('importMigrationUris needs at least one URI');
  if (uris.length > MAX_MIGRATION_URIS) {
    throw otpauthError(
      'incomplete_migration',
      `${uris.length} QR codes were given; one import reads at most ${MAX_MIGRATION_URIS}: in Google Authenticator, export fewer accounts at a time.`,
    );
  }
  let totalLength = 0;
  for (const [index, uri] of uris.entries()) {
    if (typeof uri !== 'string') throw new TypeError(`importMigrationUris: URI ${index + 1} is not a string`);
    totalLength += uri.length;
  }
  if (totalLength > MAX_MIGRATION_TOTAL_LENGTH) {
    throw otpauthError(
      'invalid_uri',
      `The ${uris.length} texts are ${totalLength} characters together, more than ${MAX_MIGRATION_TOTAL_LENGTH} (each QR code is at most ${MAX_MIGRATION_URI_LENGTH}): they are not one Google Authenticator export.`,
    );
  }

  // Every decoded code, to wipe its payload bytes (which hold the secrets) however this ends.
  const decodedCodes: DecodedMigrationUri[] = [];
  const byIndex = new Map<number, DecodedMigrationUri>();
  try {
    for (const uri of uris) {
      const decoded = decodeMigrationUri(uri);
      decodedCodes.push(decoded);
      const first = decodedCodes[0] as DecodedMigrationUri;
      if (decoded.batchId !== first.batchId || decoded.batchSize !== first.batchSize) {
        throw otpauthError(
          'incomplete_migration',
          'These QR codes come from different exports: scan the codes of one export only.',
        );
      }
      if (decoded.batchSize > MAX_MIGRATION_URIS) {
        throw otpauthError(
          'incomplete_migration',
          `This export says it has ${decoded.batchSize} QR codes; one import reads at most ${MAX_MIGRATION_URIS}: in Google Authenticator, export fewer accounts at a time.`,
        );
      }
      if (byIndex.has(decoded.batchIndex)) {
        throw otpauthError(
          'incomplete_migration',
          `QR code ${decoded.batchIndex + 1} of ${decoded.batchSize} was given twice.`,
        );
      }
      byIndex.set(decoded.batchIndex, decoded);
    }
    const batchSize = (decodedCodes[0] as DecodedMigrationUri).batchSize;
    const missing: number[] = [];
    for (let index = 0; index < batchSize && missing.length <= 10; index++) {
      if (!byIndex.has(index)) missing.push(index + 1);
    }
    if (missing.length > 0) {
      throw otpauthError(
        'incomplete_migration',
        `QR code${missing.length === 1 ? '' : 's'} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of ${batchSize} ${missing.length === 1 ? 'is' : 'are'} missing: scan ${missing.length === 1 ? 'it' : 'them'} too.`,
      );
    }
    const accounts: OtpAccount[] = [];
    const skipped: SkippedEntry[] = [];
    let offset = 0;
    for (let index = 0; index < batchSize; index++) {
      const decoded = byIndex.get(index);
      if (decoded === undefined) continue;
      const batch = migrationBatch(decoded);
      accounts.push(...batch.accounts);
      skipped.push(...batch.skipped.map((entry) => ({ ...entry, index: entry.index + offset })));
      offset += batch.accounts.length + batch.skipped.length;
    }
    return { accounts, skipped };
  } finally {
    for (const decoded of decodedCodes) decoded.bytes.fill(0);
  }
}
