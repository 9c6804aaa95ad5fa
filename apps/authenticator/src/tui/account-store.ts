/**
 * @module
 * What the TUI changes accounts through: every change is saved at once. The vault adapter is the
 * real one; tests use an in-memory store.
 */
import type { Account, AccountChanges, NewAccount, Vault } from '@mfakit/vault';

export interface AccountStore {
  list(): readonly Account[];
  add(account: NewAccount): Promise<Account>;
  update(id: string, changes: AccountChanges): Promise<Account>;
  remove(id: string): Promise<void>;
}

export function vaultStore(vault: Vault): AccountStore {
  return {
    list: () => vault.accounts,
    add: async (account) => {
      const added = vault.addAccount(account);
      await vault.save();
      return added;
    },
    update: async (id, changes) => {
      const updated = vault.updateAccount(id, changes);
      await vault.save();
      return updated;
    },
    remove: async (id) => {
      vault.removeAccount(id);
      await vault.save();
    },
  };
}
