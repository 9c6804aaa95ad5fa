/**
 * @module
 * Joins the QR codes of one Google Authenticator export ("1 of 3", "2 of 3", …) and checks that
 * none is missing, repeated, or from another export.
 */
import type { OtpAccount } from '../account.js';
import { otpauthError } from '../errors.js';
import type { SkippedEntry } from '../skipped-entry.js';
import { parseMigrationUri } from './parse-migration-uri.js';

export interface MigrationImport {
  /** All accounts, in export order. */
  accounts: OtpAccount[];
  /** Entries not imported; `index` counts across the whole export. */
  skipped: SkippedEntry[];
}

/**
 * Parses every QR code of one export (in any scan order). Throws `MfaError`
 * 'incomplete_migration' when codes are missing, scanned twice, or belong to different exports,
 * saying which to scan; parse errors of a single code are thrown as `parseMigrationUri` does.
 */
export function importMigrationUris(uris: readonly string[]): MigrationImport {
  if (!Array.isArray(uris)) throw new TypeError('importMigrationUris expects an array of URIs');
  if (uris.length === 0) throw new RangeError('importMigrationUris needs at least one URI');
  const batches = uris.map((uri) => parseMigrationUri(uri));
  const first = batches[0];
  if (first === undefined) throw new RangeError('importMigrationUris needs at least one URI');
  if (batches.some((batch) => batch.batchId !== first.batchId || batch.batchSize !== first.batchSize)) {
    throw otpauthError(
      'incomplete_migration',
      'These QR codes come from different exports: scan the codes of one export only.',
    );
  }
  const byIndex = new Map<number, (typeof batches)[number]>();
  for (const batch of batches) {
    if (byIndex.has(batch.batchIndex)) {
      throw otpauthError(
        'incomplete_migration',
        `QR code ${batch.batchIndex + 1} of ${batch.batchSize} was given twice.`,
      );
    }
    byIndex.set(batch.batchIndex, batch);
  }
  const missing: number[] = [];
  for (let index = 0; index < first.batchSize && missing.length <= 10; index++) {
    if (!byIndex.has(index)) missing.push(index + 1);
  }
  if (missing.length > 0) {
    throw otpauthError(
      'incomplete_migration',
      `QR code${missing.length === 1 ? '' : 's'} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of ${first.batchSize} ${missing.length === 1 ? 'is' : 'are'} missing: scan ${missing.length === 1 ? 'it' : 'them'} too.`,
    );
  }
  const accounts: OtpAccount[] = [];
  const skipped: SkippedEntry[] = [];
  let offset = 0;
  for (let index = 0; index < first.batchSize; index++) {
    const batch = byIndex.get(index);
    if (batch === undefined) continue;
    accounts.push(...batch.accounts);
    skipped.push(...batch.skipped.map((entry) => ({ ...entry, index: entry.index + offset })));
    offset += batch.accounts.length + batch.skipped.length;
  }
  return { accounts, skipped };
}
