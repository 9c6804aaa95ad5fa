/**
 * @module
 * Opening an existing vault: read, check the header, unlock a slot, authenticate and decrypt the
 * accounts. Any failure leaves the file untouched (opening never writes).
 */

import { decodeAccounts } from './accounts.js';
import { vaultError } from './errors.js';
import { type KeychainStore, osKeychain } from './keychain.js';
import { resolveVaultPath, type VaultLocationOptions } from './paths.js';
import { readVaultFile } from './read-vault-file.js';
import { sha256, unseal } from './seal.js';
import { KEYCHAIN_SERVICE } from './slots.js';
import { unlock } from './unlock.js';
import { slotInfo, Vault } from './vault.js';

export interface OpenVaultOptions extends VaultLocationOptions {
  /** Unlocks the passphrase slot. Default: `MFAKIT_PASSPHRASE` from `env`, if set and not empty. */
  passphrase?: string | undefined;
  /** Try keychain slots when no passphrase is given. Default `true`. */
  keychain?: boolean | undefined;
  /** The keychain to use. Default: the OS keychain (`osKeychain()`). */
  keychainStore?: KeychainStore | undefined;
  /** Keychain service name for keychain slots added later. Default 'mfakit'. */
  keychainService?: string | undefined;
  /** Clock for `createdAt` of new accounts (ms since the epoch). Default `Date.now`. */
  now?: (() => number) | undefined;
}

export async function openVault(options: OpenVaultOptions = {}): Promise<Vault> {
  const path = resolveVaultPath(options);
  const envPassphrase = (options.env ?? process.env).MFAKIT_PASSPHRASE;
  const passphrase = options.passphrase ?? (envPassphrase === '' ? undefined : envPassphrase);
  if (passphrase !== undefined && typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  const keychainStore = options.keychainStore;
  const keychain = () => keychainStore ?? osKeychain();

  const { bytes, parsed } = await readVaultFile(path);
  const { header } = parsed;
  const unlocked = await unlock(header, {
    passphrase,
    useKeychain: options.keychain !== false,
    keychain,
  });
  const plaintext = unseal(unlocked.vaultKey, parsed.nonce, parsed.sealed, parsed.associatedData);
  if (plaintext === undefined) {
    unlocked.vaultKey.fill(0);
    throw vaultError(
      'vault_tampered',
      'The vault file failed its integrity check: it was altered after mfakit wrote it. Nothing was decrypted ' +
        'and the file was not changed. Restore the backup (".bak") if you did not make this change.',
    );
  }
  let accounts: ReturnType<typeof decodeAccounts>;
  try {
    accounts = decodeAccounts(plaintext);
  } finally {
    plaintext.fill(0);
  }
  return new Vault({
    path,
    vaultId: header.vaultId,
    vaultKey: unlocked.vaultKey,
    slots: header.slots,
    unlockedWith: slotInfo(unlocked.slot),
    accounts,
    diskDigest: sha256(bytes),
    keychain,
    keychainService: options.keychainService ?? KEYCHAIN_SERVICE,
    now: options.now ?? Date.now,
  });
}
