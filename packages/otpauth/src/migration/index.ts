/**
 * @module
 * `@mfakit/otpauth/migration` — Google Authenticator "Transfer accounts" export and import
 * (`otpauth-migration://offline?data=…`).
 */
export type { OtpAccount, OtpAccountInput } from '../account.js';
export { OTPAUTH_ERROR_CODES, type OtpauthErrorCode } from '../errors.js';
export type { SkippedEntry, SkipReason } from '../skipped-entry.js';
export { type BuildMigrationUrisOptions, buildMigrationUris } from './build-migration-uris.js';
export {
  importMigrationUris,
  MAX_MIGRATION_TOTAL_LENGTH,
  MAX_MIGRATION_URIS,
  type MigrationImport,
} from './import-migration-uris.js';
export { type MigrationBatch, parseMigrationUri } from './parse-migration-uri.js';
