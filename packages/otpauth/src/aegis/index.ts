/**
 * @module
 * `@mfakit/otpauth/aegis` — Aegis Authenticator vault files: plain and password-encrypted export
 * and import.
 */
export { OTPAUTH_ERROR_CODES, type OtpauthErrorCode } from '../errors.js';
export type { SkippedEntry, SkipReason } from '../skipped-entry.js';
export type { AegisAccount, AegisAccountInput, AegisImport, AegisMetadata } from './aegis-entries.js';
export { buildAegisVault, type EncryptAegisVaultOptions, encryptAegisVault } from './build-aegis-vault.js';
export { decryptAegisVault, parseAegisVault } from './parse-aegis-vault.js';
