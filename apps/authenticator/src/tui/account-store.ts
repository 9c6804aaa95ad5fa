/**
 * @module
 * What the TUI changes accounts through: every change is saved at once. The vault adapter is the
 * real one; tests use an in-memory store. A change the vault refuses because the file changed
 * underneath (`vault_conflict`) is not saved; the app then offers to reload the vault.
 */
import { statSync } from 'node:fs';
import type { Account, AccountChanges, NewAccount, Vault } from '@mfakit/vault';

export interface AccountStore {
  list(): readonly Account[];
  add(account: NewAccount): Promise<Account>;
  update(id: string, changes: AccountChanges): Promise<Account>;
  remove(id: string): Promise<void>;
  /**
   * Whether another process (`mfakit add`, a second app) wrote the vault file since this store
   * read or wrote it: the app offers to reload, since every save would now be refused.
   */
  changedOnDisk?(): boolean;
}

/** What identifies a version of the file cheaply: a rename-over changes the inode, a write the times. */
function fileVersion(path: string): string {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return 'missing';
  }
}

export function vaultStore(vault: Vault): AccountStore {
  let known = fileVersion(vault.path);
  // What the list shows: the accounts as last read or saved. A change the vault refused to save
  // stays in its memory (it has no undo) but not on screen; a reload discards it.
  let saved = vault.accounts;
  const save = async () => {
    await vault.save();
    known = fileVersion(vault.path);
    saved = vault.accounts;
  };
  return {
    list: () => saved,
    add: async (account) => {
      const added = vault.addAccount(account);
      await save();
      return added;
    },
    update: async (id, changes) => {
      const updated = vault.updateAccount(id, changes);
      await save();
      return updated;
    },
    remove: async (id) => {
      vault.removeAccount(id);
      await save();
    },
    changedOnDisk: () => fileVersion(vault.path) !== known,
  };
}
