/**
 * @module
 * Opening an existing vault: read, check the header, unlock a slot, authenticate and decrypt the
 * accounts, then compare its generation with this machine's record (rollback). Any failure leaves
 * the file untouched: opening never writes the vault, only raises the generation record.
 */

import { decodeAccounts } from './accounts.js';
import { vaultError } from './errors.js';
import { type KeychainStore, osKeychain } from './keychain.js';
import {
  booleanOption,
  envOption,
  keychainServiceOption,
  keychainStoreOption,
  nowOption,
  optionsObject,
} from './options.js';
import { resolveVaultPath } from './paths.js';
import { readVaultFile } from './read-vault-file.js';
import { sha256, unseal } from './seal.js';
import {
  type RollbackOptions,
  readSeenGeneration,
  recordSeenGeneration,
  resolveStateDirectory,
} from './seen-generations.js';
import { KEYCHAIN_SERVICE } from './slots.js';
import { unlock } from './unlock.js';
import { slotInfo, Vault } from './vault.js';

/**
 * Options of {@link openVault}: where (`path`, `env`), how to unlock (`passphrase`, `keychain`), and
 * rollback detection (`stateDirectory`, `acceptRollback`).
 */
export interface OpenVaultOptions extends RollbackOptions {
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
  /**
   * Open a file older than the newest version of this vault opened on this machine (a restored
   * backup) instead of refusing with `vault_rolled_back`, and remember it as the current version.
   * Default: `MFAKIT_ACCEPT_ROLLBACK=1` in `env`, else `false`.
   */
  acceptRollback?: boolean | undefined;
}

/**
 * Opens and unlocks an existing vault. The header is checked first (length, SHA-256 checksum,
 * version, slot shapes; scrypt costs other than N = 2^15–2^18, r = 8, p = 1 are refused before
 * any derivation). A passphrase (given, else `MFAKIT_PASSPHRASE`) opens the passphrase slot:
 * scrypt (RFC 7914) over the NFKC-normalised text and the slot's salt gives the key that unwraps
 * the vault key (AES-256-GCM with the slot's parameters as associated data). Without one, keychain
 * slots are tried; the vault never falls back to another store. The accounts are then decrypted
 * and authenticated against the whole header, and the header's save counter is compared with this
 * machine's record (see `RollbackOptions`). Intermediate keys and plaintext are wiped.
 *
 * Opening never writes the vault file. Rejects with `MfaError`: `vault_not_found`, `vault_corrupt`,
 * `vault_unsupported_version`, `vault_io`; `passphrase_required`, `wrong_passphrase`;
 * `keychain_unavailable`, `keychain_key_missing`, `keychain_key_wrong`; `vault_tampered` (the file
 * was altered after it was written); `vault_rolled_back` (an older copy than one seen before,
 * unless `acceptRollback`). Wrong option types throw `TypeError`.
 *
 * @example
 * ```ts
 * const vault = await openVault({ passphrase });
 * try {
 *   for (const account of vault.accounts) console.log(account.issuer, account.name);
 * } finally {
 *   vault.close();
 * }
 * ```
 */
export async function openVault(givenOptions?: OpenVaultOptions): Promise<Vault> {
  const options = optionsObject(givenOptions, 'openVault options');
  const path = resolveVaultPath(options);
  const env = envOption(options.env) ?? process.env;
  const envPassphrase = env.MFAKIT_PASSPHRASE;
  const passphrase = options.passphrase ?? (envPassphrase === '' ? undefined : envPassphrase);
  if (passphrase !== undefined && typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  const useKeychain = booleanOption(options.keychain, 'keychain') ?? true;
  const keychainStore = keychainStoreOption(options.keychainStore);
  const keychain = () => keychainStore ?? osKeychain();
  const keychainService = keychainServiceOption(options.keychainService, KEYCHAIN_SERVICE);
  const now = nowOption(options.now);
  const stateDirectory = resolveStateDirectory(options);
  const acceptRollback = booleanOption(options.acceptRollback, 'acceptRollback') ?? env.MFAKIT_ACCEPT_ROLLBACK === '1';

  const { bytes, parsed } = await readVaultFile(path);
  const { header } = parsed;
  const unlocked = await unlock(header, {
    passphrase,
    useKeychain,
    keychain,
  });
  const plaintext = unseal(unlocked.vaultKey, parsed.nonce, parsed.sealed, parsed.associatedData);
  if (plaintext === undefined) {
    unlocked.vaultKey.fill(0);
    throw vaultError(
      'vault_tampered',
      'The vault file failed its integrity check: it was altered after mfakit wrote it. Nothing was decrypted ' +
        'and the file was not changed. Restore the backup (".bak", then open it once with MFAKIT_ACCEPT_ROLLBACK=1) ' +
        'if you did not make this change.',
    );
  }
  let accounts: ReturnType<typeof decodeAccounts>;
  try {
    accounts = decodeAccounts(plaintext, header.version);
  } finally {
    plaintext.fill(0);
  }
  // Only now is header.generation authenticated (the header is the payload's associated data).
  const seen = await readSeenGeneration(stateDirectory, header.vaultId);
  if (header.generation < seen && !acceptRollback) {
    unlocked.vaultKey.fill(0);
    for (const account of accounts) account.secret.fill(0);
    throw vaultError(
      'vault_rolled_back',
      `The vault file ${path} is an older version (save ${header.generation}) than one already opened on this ` +
        `machine (save ${seen}): an old copy was put back, by a sync conflict, a restore or someone else. The ` +
        'file was not changed. If you restored it on purpose (e.g. the ".bak"), open it once with ' +
        'MFAKIT_ACCEPT_ROLLBACK=1; otherwise look for the newer file.',
    );
  }
  if (header.generation !== seen) await recordSeenGeneration(stateDirectory, header.vaultId, header.generation);
  return new Vault({
    path,
    vaultId: header.vaultId,
    vaultKey: unlocked.vaultKey,
    slots: header.slots,
    unlockedWith: slotInfo(unlocked.slot),
    accounts,
    diskDigest: sha256(bytes),
    generation: header.generation,
    stateDirectory,
    keychain,
    keychainService,
    now,
  });
}
