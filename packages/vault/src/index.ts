/**
 * @module
 * @mfakit/vault — the encrypted authenticator vault file behind the `mfakit` terminal app.
 * AES-256-GCM over the accounts with the header as associated data; the vault key wrapped in
 * Aegis-style slots (OS keychain, scrypt passphrase); atomic, crash-safe writes with a backup.
 */
export { type Account, type AccountChanges, type AccountType, type NewAccount, newAccountRecord } from './accounts.js';
export { type CreateVaultOptions, createVault } from './create-vault.js';
export { describeVault, type VaultDescription } from './describe-vault.js';
export { VAULT_ERROR_CODES, type VaultError, type VaultErrorCode } from './errors.js';
export { FORMAT_VERSION } from './format.js';
export { type KeychainStore, osKeychain } from './keychain.js';
export { type OpenVaultOptions, openVault } from './open-vault.js';
export { BACKUP_SUFFIX, backupPath, resolveVaultPath, VAULT_FILE_NAME, type VaultLocationOptions } from './paths.js';
export type { RollbackOptions } from './seen-generations.js';
export { DEFAULT_SCRYPT_LOG_N, KEYCHAIN_SERVICE, MAX_SCRYPT_LOG_N, MIN_SCRYPT_LOG_N } from './slots.js';
export { type SlotInfo, Vault } from './vault.js';
