/**
 * @module
 * The conditions a vault user must handle, as `MfaError` codes. Every message says what happened and
 * what to do next; none contains a passphrase, a key or an account secret.
 */
import { MfaError } from '@mfakit/core';

/**
 * Every `MfaError` code the vault throws (each documented below). Messages say what happened and
 * what to do; none contains a passphrase, a key or an account secret.
 */
export const VAULT_ERROR_CODES = [
  /** No vault file at the path (openVault, describeVault). */
  'vault_not_found',
  /** createVault found a file already at the path. */
  'vault_exists',
  /** Not a vault, truncated, malformed, or its header checksum does not match: the bytes are damaged. */
  'vault_corrupt',
  /** The contents failed authentication (AES-GCM tag): the file was altered after it was written. */
  'vault_tampered',
  /** Written by a newer mfakit with a format version this one cannot read. */
  'vault_unsupported_version',
  /** The file is an older version of this vault than one this machine opened before (an old copy put back). */
  'vault_rolled_back',
  /** The vault file changed on disk since it was opened (another process saved it); nothing was written. */
  'vault_conflict',
  /** Reading or writing the file failed (permissions, disk full, ...); `cause` has the system error. */
  'vault_io',
  /** The vault can only be unlocked with a passphrase and none was given. */
  'passphrase_required',
  /** The passphrase does not unlock the vault's passphrase slot. */
  'wrong_passphrase',
  /** An empty passphrase was given where a new passphrase is set. */
  'passphrase_empty',
  /** The OS keychain (Secret Service, Keychain, Credential Manager) could not be reached. */
  'keychain_unavailable',
  /** The keychain is reachable but holds no key for this vault's keychain slot. */
  'keychain_key_missing',
  /** The key in the keychain does not unlock this vault's keychain slot. */
  'keychain_key_wrong',
  /** No slot with that id (removeSlot). */
  'slot_not_found',
  /** Removing the slot would leave the vault with no way to unlock it. */
  'last_slot',
  /** No account with that id (updateAccount, removeAccount). */
  'account_not_found',
] as const;

/** One of `VAULT_ERROR_CODES`. */
export type VaultErrorCode = (typeof VAULT_ERROR_CODES)[number];

/** An `MfaError` with a vault code; test it with `isMfaError(error, 'wrong_passphrase')` from @mfakit/core. */
export type VaultError = MfaError<VaultErrorCode>;

export function vaultError(code: VaultErrorCode, message: string, cause?: unknown): VaultError {
  return new MfaError<VaultErrorCode>(code, message, cause === undefined ? undefined : { cause });
}

export function ioError(action: 'read' | 'write', path: string, cause: unknown): VaultError {
  const code = (cause as NodeJS.ErrnoException | null)?.code ?? 'error';
  return vaultError(
    'vault_io',
    `Could not ${action} the vault file ${path} (${code}).` +
      (action === 'write'
        ? ' The file holds a complete version: the previous one, or the new one if only the final sync failed.'
        : ''),
    cause,
  );
}
