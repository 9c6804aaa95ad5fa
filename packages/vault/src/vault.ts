/**
 * @module
 * `Vault`: an unlocked vault file. Account changes stay in memory until `save()`; slot changes
 * (`changePassphrase`, `addKeychainSlot`, `removeSlot`) are written at once, together with any
 * unsaved account changes, because they also change what the OS keychain holds.
 */
import { isMfaError } from '@mfakit/core';
import {
  type Account,
  type AccountChanges,
  changedAccountRecord,
  copyAccount,
  encodeAccounts,
  formatVersionFor,
  type NewAccount,
  newAccountRecord,
} from './accounts.js';
import { replaceFile } from './atomic-write.js';
import { ioError, vaultError } from './errors.js';
import { buildVaultFile, type SlotRecord, type VaultHeader } from './format.js';
import { askKeychain, type KeychainStore } from './keychain.js';
import { optionsObject } from './options.js';
import { backupPath } from './paths.js';
import { readBoundedFile } from './read-vault-file.js';
import { seal, sha256 } from './seal.js';
import { recordSeenGeneration } from './seen-generations.js';
import { newKeychainSlot, newPassphraseSlot, scryptLogNOption } from './slots.js';

/** What a caller may know about a key slot: never its key. */
export interface SlotInfo {
  /** Random UUID of the slot (pass it to `Vault.removeSlot`). */
  readonly id: string;
  /** `passphrase` (scrypt-derived key) or `keychain` (key in the OS keychain). */
  readonly type: 'passphrase' | 'keychain';
}

export interface VaultState {
  path: string;
  vaultId: string;
  vaultKey: Uint8Array;
  slots: SlotRecord[];
  unlockedWith: SlotInfo;
  accounts: Account[];
  diskDigest: Uint8Array;
  /** Generation of the file on disk (the header's save counter). */
  generation: number;
  /** Where the highest generation seen is recorded; `undefined` when rollback detection is off. */
  stateDirectory: string | undefined;
  keychain: () => KeychainStore;
  keychainService: string;
  now: () => number;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * An unlocked vault, from {@link createVault} or {@link openVault}. Account changes stay in memory
 * until {@link Vault.save}; slot changes are written at once. Every save is atomic and crash-safe
 * (a temporary file fsynced and renamed over the vault, the previous version kept as `<path>.bak`)
 * and refuses with `vault_conflict` when another program changed the file since this object read
 * or wrote it. Writes from one object are serialised.
 *
 * The vault key stays in memory until {@link Vault.close}, which wipes it and the account secrets;
 * after that reading `accounts`, `slots` or `unlockedWith` and every method that reads or changes
 * the vault throw `TypeError`. `JSON.stringify` and `util.inspect` show the path, the number of
 * accounts and the slot types, never a secret.
 */
export class Vault {
  /** Absolute path of the vault file. */
  readonly path: string;
  #state: VaultState | undefined;
  #revision = 0;
  #savedRevision = 0;
  #writing: Promise<unknown> = Promise.resolve();
  /** What callers get: a copy of each internal record, so changing one cannot change the vault. */
  #snapshots = new WeakMap<Account, Account>();

  /** @internal Use `createVault` or `openVault`. */
  constructor(state: VaultState) {
    this.path = state.path;
    this.#state = state;
  }

  /** The accounts, in the order they were added. Frozen snapshots; change them with `updateAccount`. */
  get accounts(): readonly Account[] {
    return this.#open().accounts.map((record) => this.#snapshot(record));
  }

  /** The key slots (at least one). */
  get slots(): readonly SlotInfo[] {
    return this.#open().slots.map(slotInfo);
  }

  /** The slot that unlocked this vault. */
  get unlockedWith(): SlotInfo {
    return this.#open().unlockedWith;
  }

  /** `true` while there are account changes that `save()` has not written yet. */
  get dirty(): boolean {
    return this.#revision !== this.#savedRevision;
  }

  /** `true` after `close()`. */
  get closed(): boolean {
    return this.#state === undefined;
  }

  /** The account with this id (a frozen snapshot), or `undefined`. */
  getAccount(id: string): Account | undefined {
    const record = this.#open().accounts.find((account) => account.id === id);
    return record === undefined ? undefined : this.#snapshot(record);
  }

  /**
   * Adds an account in memory (call `save()` to write it) and returns its snapshot, with a new
   * random id and `createdAt` from the vault's clock. Throws `TypeError`/`RangeError` naming the
   * field for invalid input (see {@link NewAccount}); the secret is copied, never echoed.
   */
  addAccount(input: NewAccount): Account {
    const state = this.#open();
    const account = newAccountRecord(input, state.now());
    state.accounts = [...state.accounts, account];
    this.#revision += 1;
    return this.#snapshot(account);
  }

  /**
   * Changes an account in memory (call `save()` to write it) and returns its new snapshot; earlier
   * snapshots keep the old values. Throws `account_not_found`, or `TypeError`/`RangeError` for
   * invalid changes (the account is then unchanged).
   */
  updateAccount(id: string, changes: AccountChanges): Account {
    const state = this.#open();
    const index = this.#indexOf(id);
    const previous = state.accounts[index] as Account;
    const account = changedAccountRecord(previous, changes);
    state.accounts = state.accounts.map((candidate, position) => (position === index ? account : candidate));
    this.#revision += 1;
    return this.#snapshot(account);
  }

  /** Removes an account in memory (call `save()` to write it). Throws `account_not_found`. */
  removeAccount(id: string): void {
    const state = this.#open();
    const index = this.#indexOf(id);
    state.accounts = state.accounts.filter((_, position) => position !== index);
    this.#revision += 1;
  }

  /**
   * Writes unsaved changes (atomically, keeping the previous version as `<path>.bak`), with a fresh
   * payload nonce and the save counter raised by one. No-op when clean. Rejects with
   * `vault_conflict` (the file changed on disk; nothing written) or `vault_io`.
   */
  async save(): Promise<void> {
    this.#open();
    if (!this.dirty) return;
    await this.#write();
  }

  /**
   * Sets the passphrase: replaces the passphrase slot, or adds one to a keychain-only vault, and saves.
   * The vault key is re-wrapped, not changed (as in Aegis): an old copy of the file still opens with
   * the old passphrase and reveals the key. After a leak, create a new vault and move the accounts.
   */
  async changePassphrase(passphrase: string, options?: { scryptLogN?: number }): Promise<void> {
    const state = this.#open();
    checkNewPassphrase(passphrase);
    const logN = scryptLogNOption(optionsObject(options, 'changePassphrase options').scryptLogN);
    const { slot } = await newPassphraseSlot(state.vaultId, passphrase, logN, state.vaultKey);
    const slots = [...state.slots.filter((candidate) => candidate.type !== 'passphrase'), slot];
    await this.#write(slots);
  }

  /**
   * Adds a slot whose key (32 random bytes) lives in the OS keychain, and saves. Rejects with
   * `keychain_unavailable` (nothing changed), or `vault_conflict`/`vault_io` (the new keychain
   * entry is deleted again).
   */
  async addKeychainSlot(): Promise<SlotInfo> {
    const state = this.#open();
    const { slot, slotKey } = newKeychainSlot(state.vaultId, state.vaultKey, state.keychainService);
    const keychain = state.keychain();
    try {
      await askKeychain(
        () => keychain.setKey(slot.service, slot.account, slotKey),
        'The vault was not changed; its other slots still unlock it.',
      );
    } finally {
      slotKey.fill(0);
    }
    try {
      await this.#write([...state.slots, slot]);
    } catch (error) {
      await keychain.deleteKey(slot.service, slot.account).catch(() => undefined);
      throw error;
    }
    return slotInfo(slot);
  }

  /**
   * Removes a slot and saves; for a keychain slot, then deletes its keychain entry. Resolves whether
   * that entry was deleted (`false` if the keychain was unreachable or had none). Throws
   * `slot_not_found`, or `last_slot` rather than leave the vault with no way to unlock it. As with
   * `changePassphrase`, the vault key is not changed: older copies (the `.bak`) still hold the
   * removed slot, so a removed passphrase still opens them.
   */
  async removeSlot(id: string): Promise<{ keychainEntryDeleted: boolean }> {
    const state = this.#open();
    const slot = state.slots.find((candidate) => candidate.id === id);
    if (slot === undefined) throw vaultError('slot_not_found', 'This vault has no key slot with that id.');
    if (state.slots.length === 1) {
      throw vaultError('last_slot', 'This is the only way to unlock the vault; add another slot before removing it.');
    }
    await this.#write(state.slots.filter((candidate) => candidate.id !== id));
    if (slot.type !== 'keychain') return { keychainEntryDeleted: false };
    const deleted = await state
      .keychain()
      .deleteKey(slot.service, slot.account)
      .catch(() => false);
    return { keychainEntryDeleted: deleted };
  }

  /**
   * Forgets the vault key and wipes the secrets it holds, including those of the account objects it
   * currently hands out (`accounts`); earlier snapshots of changed accounts are the caller's to drop.
   */
  close(): void {
    const state = this.#state;
    if (state === undefined) return;
    state.vaultKey.fill(0);
    for (const account of state.accounts) {
      account.secret.fill(0);
      this.#snapshots.get(account)?.secret.fill(0);
    }
    state.accounts = [];
    this.#state = undefined;
  }

  /** `{ path, closed }` only: never an account or a key. */
  toJSON(): { path: string; closed: boolean } {
    return { path: this.path, closed: this.closed };
  }

  /** What `util.inspect` and `console.log` show: the path, the number of accounts and the slot types. */
  [inspectSymbol](): string {
    const state = this.#state;
    if (state === undefined) return `Vault { path: '${this.path}', closed }`;
    return `Vault { path: '${this.path}', accounts: ${state.accounts.length}, slots: [${state.slots.map((slot) => slot.type).join(', ')}] }`;
  }

  #open(): VaultState {
    if (this.#state === undefined) throw new TypeError('the vault is closed');
    return this.#state;
  }

  #snapshot(record: Account): Account {
    let snapshot = this.#snapshots.get(record);
    if (snapshot === undefined) {
      snapshot = copyAccount(record);
      this.#snapshots.set(record, snapshot);
    }
    return snapshot;
  }

  #indexOf(id: string): number {
    const index = this.#open().accounts.findIndex((account) => account.id === id);
    if (index === -1) throw vaultError('account_not_found', 'This vault has no account with that id.');
    return index;
  }

  /** Serialises writes from this object; each checks the file is still the one it last read or wrote. */
  #write(slots?: SlotRecord[]): Promise<void> {
    const run = this.#writing.then(async () => {
      const state = this.#open();
      const revision = this.#revision;
      const nextSlots = slots ?? state.slots;
      const generation = state.generation + 1;
      const bytes = encodeVaultFile(state.vaultId, nextSlots, state.accounts, state.vaultKey, generation);
      await assertUnchangedOnDisk(state);
      try {
        await replaceFile(state.path, bytes, backupPath(state.path));
      } catch (error) {
        throw ioError('write', state.path, error);
      }
      state.diskDigest = sha256(bytes);
      state.generation = generation;
      state.slots = nextSlots;
      this.#savedRevision = revision;
      // After the file is durable: a crash leaves the record behind the file, never ahead of it.
      await recordSeenGeneration(state.stateDirectory, state.vaultId, generation);
    });
    this.#writing = run.catch(() => undefined);
    return run;
  }
}

export function slotInfo(slot: SlotRecord): SlotInfo {
  return Object.freeze({ id: slot.id, type: slot.type });
}

export function checkNewPassphrase(passphrase: unknown): asserts passphrase is string {
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  if (passphrase === '') throw vaultError('passphrase_empty', 'The passphrase must not be empty.');
  // Unpaired surrogates have no UTF-8 form: scrypt would see U+FFFD, so two different strings
  // would be the same passphrase.
  if (/\p{Surrogate}/u.test(passphrase)) throw new RangeError('passphrase must be well-formed Unicode text');
}

export function encodeVaultFile(
  vaultId: string,
  slots: SlotRecord[],
  accounts: readonly Account[],
  vaultKey: Uint8Array,
  generation: number,
): Uint8Array {
  const plaintext = encodeAccounts(accounts);
  const header: VaultHeader = {
    format: 'mfakit-vault',
    version: formatVersionFor(accounts),
    vaultId,
    cipher: 'aes-256-gcm',
    generation,
    payloadLength: plaintext.length,
    slots,
  };
  try {
    return buildVaultFile(header, (associatedData) => seal(vaultKey, plaintext, associatedData));
  } finally {
    plaintext.fill(0);
  }
}

async function assertUnchangedOnDisk(state: VaultState): Promise<void> {
  let current: Uint8Array;
  try {
    current = await readBoundedFile(state.path);
  } catch (error) {
    // Gone, or replaced by something no vault can be (a directory, a FIFO, a huge file): changed.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !isMfaError(error, 'vault_corrupt')) {
      throw ioError('read', state.path, error);
    }
    current = new Uint8Array(0);
  }
  const digest = sha256(current);
  if (!digest.every((byte, index) => state.diskDigest[index] === byte)) {
    throw vaultError(
      'vault_conflict',
      `The vault file ${state.path} was changed or removed by another program since it was opened; nothing was ` +
        'written. Open it again and redo the change.',
    );
  }
}
