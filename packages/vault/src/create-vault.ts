/**
 * @module
 * Creating a new, empty vault with a passphrase slot, a keychain slot, or both.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createFileExclusive } from './atomic-write.js';
import { ioError, vaultError } from './errors.js';
import type { SlotRecord } from './format.js';
import { askKeychain, type KeychainStore, osKeychain } from './keychain.js';
import { booleanOption, keychainServiceOption, keychainStoreOption, nowOption } from './options.js';
import { resolveVaultPath } from './paths.js';
import { randomKey, sha256 } from './seal.js';
import { type RollbackOptions, resolveStateDirectory } from './seen-generations.js';
import { KEYCHAIN_SERVICE, newKeychainSlot, newPassphraseSlot, scryptLogNOption } from './slots.js';
import { checkNewPassphrase, encodeVaultFile, slotInfo, Vault } from './vault.js';

/**
 * Options of {@link createVault}: where (`path`, `env`), how it unlocks (a `passphrase`, `keychain: true`,
 * or both), and where rollback records go (`stateDirectory`).
 */
export interface CreateVaultOptions extends RollbackOptions {
  /** Adds a passphrase slot (scrypt). `MFAKIT_PASSPHRASE` is not read here: creation is explicit. */
  passphrase?: string | undefined;
  /** Adds a keychain slot (its key stored in the OS keychain). */
  keychain?: boolean | undefined;
  /**
   * scrypt cost for the passphrase slot (RFC 7914 §2): N = 2^scryptLogN, 15–18, with r = 8, p = 1.
   * Each step doubles the unlock time and memory: 16 (the default) needs 64 MiB, 18 needs 256 MiB.
   */
  scryptLogN?: number | undefined;
  /** The keychain to use. Default: the OS keychain (`osKeychain()`). */
  keychainStore?: KeychainStore | undefined;
  /** Keychain service name for keychain entries. Default 'mfakit'. */
  keychainService?: string | undefined;
  /** Clock for `createdAt` of new accounts (ms since the epoch). Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * Creates an empty vault (mode 0600, parent directory created 0700 if missing) and returns it
 * unlocked. A fresh random 256-bit vault key encrypts the accounts (AES-256-GCM); it is stored only
 * wrapped in each slot: a passphrase slot wraps it under a key derived from the NFKC-normalised
 * passphrase with scrypt (RFC 7914) and a random 32-byte salt, a keychain slot under a random key
 * kept in the OS keychain. File layout: see `FORMAT_VERSION`.
 *
 * Fails with `vault_exists` rather than replace a file, with `keychain_unavailable` (writing
 * nothing) when a keychain slot was asked for and the keychain cannot be reached, with
 * `passphrase_empty` for an empty passphrase and `vault_io` when the file cannot be written (the
 * keychain entry is then removed again). Caller bugs throw `TypeError` (neither a passphrase nor
 * `keychain: true`, wrong option types) or `RangeError` (`scryptLogN` out of range).
 *
 * @example
 * ```ts
 * const vault = await createVault({ passphrase, keychain: true });
 * vault.addAccount({ issuer: 'GitHub', name: 'alice', secret });
 * await vault.save();
 * vault.close();
 * ```
 */
export async function createVault(options: CreateVaultOptions): Promise<Vault> {
  if (typeof options !== 'object' || options === null) throw new TypeError('createVault options must be an object');
  const path = resolveVaultPath(options);
  if (options.passphrase !== undefined) checkNewPassphrase(options.passphrase);
  booleanOption(options.keychain, 'keychain');
  if (options.passphrase === undefined && options.keychain !== true) {
    throw new TypeError('a vault needs a passphrase, keychain: true, or both');
  }
  const logN = scryptLogNOption(options.scryptLogN);
  const stateDirectory = resolveStateDirectory(options);
  const keychainStore = keychainStoreOption(options.keychainStore);
  const keychain = () => keychainStore ?? osKeychain();
  const keychainService = keychainServiceOption(options.keychainService, KEYCHAIN_SERVICE);
  const now = nowOption(options.now);

  const vaultId = randomUUID();
  const vaultKey = randomKey();
  const slots: SlotRecord[] = [];
  if (options.passphrase !== undefined) {
    slots.push((await newPassphraseSlot(vaultId, options.passphrase, logN, vaultKey)).slot);
  }
  let keychainEntry: { service: string; account: string } | undefined;
  if (options.keychain === true) {
    const { slot, slotKey } = newKeychainSlot(vaultId, vaultKey, keychainService);
    try {
      await askKeychain(
        () => keychain().setKey(slot.service, slot.account, slotKey),
        'Nothing was written. Create the vault with a passphrase instead (or start the Secret Service and retry).',
      );
    } finally {
      slotKey.fill(0);
    }
    keychainEntry = slot;
    slots.push(slot);
  }

  const bytes = encodeVaultFile(vaultId, slots, [], vaultKey, 0);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await createFileExclusive(path, bytes);
  } catch (error) {
    if (keychainEntry !== undefined) {
      await keychain()
        .deleteKey(keychainEntry.service, keychainEntry.account)
        .catch(() => undefined);
    }
    vaultKey.fill(0);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw vaultError('vault_exists', `A file already exists at ${path}; it was left as it is.`, error);
    }
    throw ioError('write', path, error);
  }
  const firstSlot = slots[0] as SlotRecord;
  return new Vault({
    path,
    vaultId,
    vaultKey,
    slots,
    unlockedWith: slotInfo(firstSlot),
    accounts: [],
    diskDigest: sha256(bytes),
    generation: 0,
    stateDirectory,
    keychain,
    keychainService,
    now,
  });
}
