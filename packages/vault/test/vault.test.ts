/**
 * The vault API a CLI/TUI uses: create, open, accounts, save, backup, slots, conflicts, closing.
 * Passphrase vaults here use scrypt 2^15 (the floor) to keep the suite quick.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMfaError } from '@mfakit/core';
import {
  backupPath,
  createVault,
  DEFAULT_SCRYPT_LOG_N,
  describeVault,
  openVault,
  type Vault,
  type VaultErrorCode,
} from '@mfakit/vault';
import { describe, expect, test } from 'vitest';
import { memoryKeychain } from './fixtures/memory-keychain.js';
import { FAST_SCRYPT, PASSPHRASE, readBytes, readHeader, tempDirectory } from './helpers.js';

async function rejectsWith(promise: Promise<unknown>, code: VaultErrorCode): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isMfaError(error, code), `expected MfaError ${code}, got ${String(error)}`).toBe(true);
  return error as Error;
}

function throwsWith(action: () => unknown, code: VaultErrorCode): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(isMfaError(caught, code), `expected MfaError ${code}, got ${String(caught)}`).toBe(true);
}

async function newPassphraseVault(name = 'vault.mfakit'): Promise<Vault> {
  const directory = await tempDirectory();
  return createVault({ path: join(directory, name), passphrase: PASSPHRASE, env: {}, ...FAST_SCRYPT });
}

const secret = (fill: number) => new Uint8Array(20).fill(fill);

describe('create and open', () => {
  test('creates an empty vault with mode 0600 in a new 0700 directory, and reopens it with the passphrase', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'nested', 'config', 'vault.mfakit');
    const vault = await createVault({ path, passphrase: PASSPHRASE, env: {}, ...FAST_SCRYPT });
    expect(vault.path).toBe(path);
    expect(vault.accounts).toEqual([]);
    expect(vault.slots.map((slot) => slot.type)).toEqual(['passphrase']);
    expect(vault.unlockedWith.type).toBe('passphrase');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, 'nested', 'config'))).mode & 0o777).toBe(0o700);

    const reopened = await openVault({ path, passphrase: PASSPHRASE, env: {} });
    expect(reopened.accounts).toEqual([]);
    expect(reopened.slots).toEqual(vault.slots);
  });

  test('MFAKIT_PASSPHRASE unlocks for scripts; an empty one counts as unset', async () => {
    const vault = await newPassphraseVault();
    const opened = await openVault({ path: vault.path, env: { MFAKIT_PASSPHRASE: PASSPHRASE } });
    expect(opened.unlockedWith.type).toBe('passphrase');
    await rejectsWith(openVault({ path: vault.path, env: { MFAKIT_PASSPHRASE: '' } }), 'passphrase_required');
    // An explicit passphrase wins over the environment.
    await rejectsWith(
      openVault({ path: vault.path, passphrase: 'nope', env: { MFAKIT_PASSPHRASE: PASSPHRASE } }),
      'wrong_passphrase',
    );
  });

  test('MFAKIT_VAULT selects the file when no path is given', async () => {
    const vault = await newPassphraseVault();
    const opened = await openVault({ env: { MFAKIT_VAULT: vault.path, MFAKIT_PASSPHRASE: PASSPHRASE } });
    expect(opened.path).toBe(vault.path);
  });

  test('the default scrypt cost is 2^16 with r = 8, p = 1, and the chosen cost is recorded in the header', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'vault.mfakit');
    await createVault({ path, passphrase: PASSPHRASE, env: {} });
    const header = readHeader(await readBytes(path));
    expect(DEFAULT_SCRYPT_LOG_N).toBe(16);
    expect(header.slots[0]).toMatchObject({ type: 'passphrase', kdf: 'scrypt', n: 2 ** 16, r: 8, p: 1 });
  });

  test('wrong passphrase, missing passphrase and missing file are distinct errors; the file is untouched', async () => {
    const vault = await newPassphraseVault();
    const before = await readBytes(vault.path);
    const wrong = await rejectsWith(
      openVault({ path: vault.path, passphrase: 'Tr0ub4dor&3', env: {} }),
      'wrong_passphrase',
    );
    expect(wrong.message).toMatch(/passphrase does not unlock/);
    await rejectsWith(openVault({ path: vault.path, env: {} }), 'passphrase_required');
    await rejectsWith(openVault({ path: `${vault.path}.missing`, passphrase: PASSPHRASE, env: {} }), 'vault_not_found');
    expect(await readBytes(vault.path)).toEqual(before);
  });

  test('passphrases are NFKC-normalised: composed and decomposed forms unlock the same vault', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'vault.mfakit');
    await createVault({ path, passphrase: 'caf\u00e9 cr\u00e8me', env: {}, ...FAST_SCRYPT });
    const opened = await openVault({ path, passphrase: 'cafe\u0301 cre\u0300me', env: {} });
    expect(opened.unlockedWith.type).toBe('passphrase');
  });

  test('createVault refuses to replace an existing file, and checks its arguments', async () => {
    const vault = await newPassphraseVault();
    const before = await readBytes(vault.path);
    await rejectsWith(createVault({ path: vault.path, passphrase: 'other', env: {}, ...FAST_SCRYPT }), 'vault_exists');
    expect(await readBytes(vault.path)).toEqual(before);

    const directory = await tempDirectory();
    const path = join(directory, 'v.mfakit');
    await expect(createVault({ path, env: {} })).rejects.toThrow(TypeError);
    await rejectsWith(createVault({ path, passphrase: '', env: {} }), 'passphrase_empty');
    await expect(createVault({ path, passphrase: 'x', scryptLogN: 14, env: {} })).rejects.toThrow(RangeError);
    await expect(createVault({ path, passphrase: 'x', scryptLogN: 19, env: {} })).rejects.toThrow(RangeError);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  test('describeVault lists the slots without unlocking', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'vault.mfakit');
    const keychainStore = memoryKeychain();
    const vault = await createVault({
      path,
      passphrase: PASSPHRASE,
      keychain: true,
      keychainStore,
      env: {},
      ...FAST_SCRYPT,
    });
    const description = await describeVault({ path, env: {} });
    expect(description).toEqual({ path, formatVersion: 1, slots: vault.slots });
    expect(description.slots.map((slot) => slot.type)).toEqual(['passphrase', 'keychain']);
    await rejectsWith(describeVault({ path: `${path}.nope` }), 'vault_not_found');
  });
});

describe('accounts', () => {
  test('add, update, remove and save round-trip through the file; defaults are filled in', async () => {
    const vault = await newPassphraseVault();
    const github = vault.addAccount({ issuer: 'GitHub', name: 'alice@example.com', secret: secret(1) });
    const bank = vault.addAccount({
      type: 'hotp',
      issuer: 'Bank',
      name: 'alice',
      secret: secret(2),
      algorithm: 'SHA256',
      digits: 8,
      counter: 5,
      note: 'Überweisung 🏦',
    });
    expect(github).toMatchObject({ type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, note: '' });
    expect(github.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(vault.dirty).toBe(true);
    await vault.save();
    expect(vault.dirty).toBe(false);

    const reopened = await openVault({ path: vault.path, passphrase: PASSPHRASE, env: {} });
    expect(reopened.accounts.map((account) => ({ ...account }))).toEqual([{ ...github }, { ...bank }]);
    expect(reopened.getAccount(bank.id)?.secret).toEqual(secret(2));

    const renamed = reopened.updateAccount(bank.id, { name: 'alice.b', counter: 6 });
    expect(renamed).toMatchObject({ id: bank.id, name: 'alice.b', counter: 6, issuer: 'Bank', digits: 8 });
    reopened.removeAccount(github.id);
    await reopened.save();
    const third = await openVault({ path: vault.path, passphrase: PASSPHRASE, env: {} });
    expect(third.accounts.map((account) => account.name)).toEqual(['alice.b']);
    expect(third.accounts[0]?.createdAt).toBe(bank.createdAt);
  });

  test('createdAt comes from the injected clock', async () => {
    const directory = await tempDirectory();
    const vault = await createVault({
      path: join(directory, 'v.mfakit'),
      passphrase: PASSPHRASE,
      env: {},
      now: () => 1_700_000_000_000,
      ...FAST_SCRYPT,
    });
    expect(vault.addAccount({ issuer: 'A', secret: secret(3) }).createdAt).toBe(1_700_000_000_000);
  });

  test('accounts are frozen snapshots with their own copy of the secret', async () => {
    const vault = await newPassphraseVault();
    const input = secret(7);
    const account = vault.addAccount({ issuer: 'A', secret: input });
    input.fill(0);
    account.secret.fill(0);
    expect(Object.isFrozen(account)).toBe(true);
    expect(vault.getAccount(account.id)?.secret).toEqual(new Uint8Array(20).fill(0));
    // The snapshot is the caller's; the vault kept its own bytes: save and reopen to see them.
    await vault.save();
    const reopened = await openVault({ path: vault.path, passphrase: PASSPHRASE, env: {} });
    expect(reopened.accounts[0]?.secret).toEqual(secret(7));
  });

  test('invalid fields are caller errors (TypeError/RangeError) and change nothing', async () => {
    const vault = await newPassphraseVault();
    const bad: Array<[Record<string, unknown>, ErrorConstructor]> = [
      [{ issuer: 'A', secret: 'JBSWY3DPEHPK3PXP' }, TypeError],
      [{ issuer: 'A', secret: new Uint8Array(0) }, RangeError],
      [{ issuer: 'A', secret: new Uint8Array(1025) }, RangeError],
      [{ secret: secret(1) }, RangeError],
      [{ issuer: 'A', secret: secret(1), digits: 5 }, RangeError],
      [{ issuer: 'A', secret: secret(1), digits: 6.5 }, TypeError],
      [{ issuer: 'A', secret: secret(1), period: 0 }, RangeError],
      [{ issuer: 'A', secret: secret(1), counter: -1 }, RangeError],
      [{ issuer: 'A', secret: secret(1), algorithm: 'MD5' }, RangeError],
      [{ issuer: 'A', secret: secret(1), type: 'yandex' }, RangeError],
      [{ issuer: 'A', secret: secret(1), type: 'steam', digits: 6 }, RangeError],
      [{ issuer: 'A', secret: secret(1), type: 'steam', period: 60 }, RangeError],
      [{ issuer: 'A', secret: secret(1), type: 'steam', algorithm: 'SHA256' }, RangeError],
      [{ issuer: 'A', secret: secret(1), type: 'totp', digits: 5 }, RangeError],
      [{ issuer: 42, secret: secret(1) }, TypeError],
      [{ issuer: 'A'.repeat(1025), secret: secret(1) }, RangeError],
    ];
    for (const [input, errorType] of bad) {
      expect(() => vault.addAccount(input as never), JSON.stringify(input)).toThrow(errorType);
    }
    expect(vault.accounts).toEqual([]);
    expect(vault.dirty).toBe(false);
    const account = vault.addAccount({ issuer: 'A', secret: secret(1) });
    expect(() => vault.updateAccount(account.id, { digits: 11 })).toThrow(RangeError);
    expect(vault.getAccount(account.id)?.digits).toBe(6);
  });

  test('unknown account ids are MfaError account_not_found', async () => {
    const vault = await newPassphraseVault();
    throwsWith(() => vault.updateAccount('00000000-0000-4000-8000-000000000000', { name: 'x' }), 'account_not_found');
    throwsWith(() => vault.removeAccount('nope'), 'account_not_found');
  });
});

describe('saving', () => {
  test('each save keeps the previous version as <path>.bak (0600), which opens on its own', async () => {
    const vault = await newPassphraseVault();
    vault.addAccount({ issuer: 'First', secret: secret(1) });
    await vault.save();
    vault.addAccount({ issuer: 'Second', secret: secret(2) });
    await vault.save();
    // An older version than the one this machine wrote last: opening it is a deliberate rollback.
    await rejectsWith(
      openVault({ path: backupPath(vault.path), passphrase: PASSPHRASE, env: {} }),
      'vault_rolled_back',
    );
    const backup = await openVault({
      path: backupPath(vault.path),
      passphrase: PASSPHRASE,
      env: { MFAKIT_ACCEPT_ROLLBACK: '1' },
    });
    expect(backup.accounts.map((account) => account.issuer)).toEqual(['First']);
    expect((await stat(backupPath(vault.path))).mode & 0o777).toBe(0o600);
  });

  test('save() without changes writes nothing (the backup keeps the older version)', async () => {
    const vault = await newPassphraseVault();
    vault.addAccount({ issuer: 'First', secret: secret(1) });
    await vault.save();
    const file = await readBytes(vault.path);
    const backup = await readBytes(backupPath(vault.path));
    await vault.save();
    expect(await readBytes(vault.path)).toEqual(file);
    expect(await readBytes(backupPath(vault.path))).toEqual(backup);
  });

  test('a save from a stale copy is refused with vault_conflict and leaves the newer file alone', async () => {
    const first = await newPassphraseVault();
    const second = await openVault({ path: first.path, passphrase: PASSPHRASE, env: {} });
    first.addAccount({ issuer: 'From first', secret: secret(1) });
    await first.save();
    const saved = await readBytes(first.path);
    second.addAccount({ issuer: 'From second', secret: secret(2) });
    const error = await rejectsWith(second.save(), 'vault_conflict');
    expect(error.message).toMatch(/changed or removed by another program/);
    expect(await readBytes(first.path)).toEqual(saved);
    expect(second.dirty).toBe(true);
  });

  test('concurrent saves on one Vault object are serialised and all land', async () => {
    const vault = await newPassphraseVault();
    const saves: Promise<void>[] = [];
    for (let index = 0; index < 5; index += 1) {
      vault.addAccount({ issuer: `A${index}`, secret: secret(index + 1) });
      saves.push(vault.save());
    }
    await Promise.all(saves);
    expect(vault.dirty).toBe(false);
    const reopened = await openVault({ path: vault.path, passphrase: PASSPHRASE, env: {} });
    expect(reopened.accounts).toHaveLength(5);
  });

  test('a write error is vault_io, with the system error as cause, and the file stays as it was', async () => {
    const vault = await newPassphraseVault();
    const before = await readBytes(vault.path);
    // The backup path is a directory: the backup rename fails after the new bytes were staged.
    await mkdir(backupPath(vault.path));
    await writeFile(join(backupPath(vault.path), 'occupied'), 'x');
    vault.addAccount({ issuer: 'A', secret: secret(1) });
    const error = await rejectsWith(vault.save(), 'vault_io');
    expect((error.cause as NodeJS.ErrnoException).code).toMatch(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(await readBytes(vault.path)).toEqual(before);
  });
});

describe('slots', () => {
  test('changePassphrase replaces the passphrase slot and keeps the accounts', async () => {
    const vault = await newPassphraseVault();
    const oldSlot = vault.slots[0];
    vault.addAccount({ issuer: 'Pending', secret: secret(1) });
    await vault.changePassphrase('new passphrase', FAST_SCRYPT);
    expect(vault.dirty).toBe(false); // pending account changes were written with the new slot
    expect(vault.slots).toHaveLength(1);
    expect(vault.slots[0]?.id).not.toBe(oldSlot?.id);
    await rejectsWith(openVault({ path: vault.path, passphrase: PASSPHRASE, env: {} }), 'wrong_passphrase');
    const reopened = await openVault({ path: vault.path, passphrase: 'new passphrase', env: {} });
    expect(reopened.accounts.map((account) => account.issuer)).toEqual(['Pending']);
    await rejectsWith(vault.changePassphrase(''), 'passphrase_empty');
  });

  test('a passphrase given to a keychain-only vault does not stop the keychain slot from opening it', async () => {
    const keychainStore = memoryKeychain();
    const path = join(await tempDirectory(), 'v.mfakit');
    await createVault({ path, keychain: true, keychainStore, env: {} });
    const opened = await openVault({ path, keychainStore, env: { MFAKIT_PASSPHRASE: 'set for another vault' } });
    expect(opened.unlockedWith.type).toBe('keychain');
  });

  test('the last slot cannot be removed; unknown slots are slot_not_found', async () => {
    const vault = await newPassphraseVault();
    await rejectsWith(vault.removeSlot(vault.slots[0]?.id ?? ''), 'last_slot');
    await rejectsWith(vault.removeSlot('00000000-0000-4000-8000-000000000000'), 'slot_not_found');
  });

  test('keychain slots through an injected KeychainStore: add, unlock, remove (entry deleted)', async () => {
    const keychainStore = memoryKeychain();
    const directory = await tempDirectory();
    const path = join(directory, 'v.mfakit');
    const vault = await createVault({ path, passphrase: PASSPHRASE, keychainStore, env: {}, ...FAST_SCRYPT });
    const slot = await vault.addKeychainSlot();
    expect(slot.type).toBe('keychain');
    expect(keychainStore.entries.size).toBe(1);
    const viaKeychain = await openVault({ path, keychainStore, env: {} });
    expect(viaKeychain.unlockedWith).toEqual(slot);
    // keychain: false skips the keychain slot and asks for the passphrase instead.
    await rejectsWith(openVault({ path, keychainStore, keychain: false, env: {} }), 'passphrase_required');
    expect(await vault.removeSlot(slot.id)).toEqual({ keychainEntryDeleted: true });
    expect(keychainStore.entries.size).toBe(0);
    await rejectsWith(openVault({ path, keychainStore, env: {} }), 'passphrase_required');
  });
});

describe('closing', () => {
  test('close() wipes the secrets handed out and makes further use a TypeError', async () => {
    const vault = await newPassphraseVault();
    const account = vault.addAccount({ issuer: 'A', secret: secret(9) });
    vault.close();
    expect(vault.closed).toBe(true);
    expect(account.secret).toEqual(new Uint8Array(20));
    expect(() => vault.accounts).toThrow(TypeError);
    await expect(vault.save()).rejects.toThrow(TypeError);
    vault.close(); // idempotent
  });
});
