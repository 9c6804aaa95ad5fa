/**
 * @module
 * @mfakit/otpauth — move accounts between servers, phones and the terminal: otpauth:// URIs
 * (Google Authenticator Key Uri Format), QR codes, Google Authenticator "Transfer accounts"
 * exports and Aegis vault files.
 */
export {
  DEFAULT_ALGORITHM,
  DEFAULT_DIGITS,
  DEFAULT_PERIOD,
  type HotpAccount,
  type OtpAccount,
  type OtpAccountInput,
  type OtpType,
  type TotpAccount,
} from './account.js';
export type {
  AegisAccount,
  AegisAccountInput,
  AegisImport,
  AegisMetadata,
} from './aegis/aegis-entries.js';
export { buildAegisVault, type EncryptAegisVaultOptions, encryptAegisVault } from './aegis/build-aegis-vault.js';
export { decryptAegisVault, parseAegisVault } from './aegis/parse-aegis-vault.js';
export {
  type CompatibilityWarning,
  type CompatibilityWarningCode,
  compatibilityWarnings,
} from './compatibility-warnings.js';
export type { OtpauthErrorCode } from './errors.js';
export { type BuildMigrationUrisOptions, buildMigrationUris } from './migration/build-migration-uris.js';
export { importMigrationUris, type MigrationImport } from './migration/import-migration-uris.js';
export { type MigrationBatch, parseMigrationUri } from './migration/parse-migration-uri.js';
export {
  MAX_QR_BYTES,
  type QrImageOptions,
  qrPng,
  qrSvg,
  renderQrToTerminal,
  type TerminalQrOptions,
} from './qr-code.js';
export type { SkippedEntry, SkipReason } from './skipped-entry.js';
export { type BuildOtpauthUriOptions, buildOtpauthUri } from './uri/build-otpauth-uri.js';
export { parseOtpauthUri } from './uri/parse-otpauth-uri.js';
