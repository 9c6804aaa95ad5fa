/**
 * @module
 * What the app's keys do to accounts, the clipboard and the vault, kept out of the components:
 * each action resolves to a `Status` to show (never rejects), so a screen only decides where to
 * show it. Errors that are not `MfaError`s (a bug, an unexpected system error) are reported as a
 * generic failure: only messages written for users reach the screen.
 */
import { isMfaError } from '@mfakit/core';
import type { Account, NewAccount } from '@mfakit/vault';
import { hasSameSecret, isSameAccount } from '../accounts/convert.js';
import { accountCodes, accountLabel, groupCode } from '../accounts/otp-code.js';
import type { AccountStore } from './account-store.js';
import type { Clipboard } from './clipboard.js';
import type { Clock } from './clock.js';

export const CLIPBOARD_CLEAR_MS = 30_000;

export interface Status {
  text: string;
  /** green: done; yellow: done with a caveat, or nothing to do; red: failed, nothing changed. */
  colour?: 'green' | 'red' | 'yellow';
  lines?: string[];
}

export interface ImportOutcome {
  accounts: NewAccount[];
  /** Labels of the entries that could not be imported, with why. */
  skipped: string[];
}

export interface AppActionsDeps {
  store: AccountStore;
  clipboard: Clipboard;
  clock: Clock;
  importSource: (source: string, password: string | undefined) => Promise<ImportOutcome>;
  /** Compatibility warnings of a new account, as lines to show (empty until @mfakit/otpauth has loaded). */
  warningsOf: (account: Account) => string[];
}

export function failure(error: unknown, what = 'The change could not be saved.'): Status {
  if (isMfaError(error, 'vault_conflict')) {
    return {
      text: 'Not saved: another mfakit changed the vault file. Esc, then Ctrl-R on the list reloads it.',
      colour: 'red',
    };
  }
  return { text: isMfaError(error) ? error.message : what, colour: 'red' };
}

export const isFailure = (status: Status): boolean => status.colour === 'red';

export function createAppActions({ store, clipboard, clock, importSource, warningsOf }: AppActionsDeps) {
  /**
   * HOTP: a code is used once it leaves the app, so copying (or showing) it advances the stored
   * counter — the same rule as `mfakit code`. The list then shows the next code.
   */
  const spendCode = async (account: Account): Promise<{ code: string; note: string }> => {
    const code = accountCodes(account, clock.now()).current;
    if (account.type !== 'hotp') return { code, note: '' };
    await store.update(account.id, { counter: account.counter + 1 });
    return { code, note: ` (counter now ${account.counter + 1})` };
  };

  return {
    async copy(account: Account): Promise<Status> {
      let used: { code: string; note: string };
      try {
        used = await spendCode(account);
      } catch (error) {
        return failure(error, 'The HOTP counter could not be saved; no code was used.');
      }
      const { code, note } = used;
      if (clipboard.tool === undefined) {
        // The code first: a long status line is cut at the terminal's width.
        return {
          text: `${groupCode(code)}  ${accountLabel(account)}${note}: no clipboard tool found (wl-copy, xclip, xsel or pbcopy).`,
          colour: 'yellow',
        };
      }
      try {
        await clipboard.copy(code);
      } catch {
        return {
          text: `${groupCode(code)}  ${accountLabel(account)}${note}: could not copy it with ${clipboard.tool}.`,
          colour: 'yellow',
        };
      }
      clipboard.clearLater(code, CLIPBOARD_CLEAR_MS);
      return {
        text: `Copied the code of ${accountLabel(account)}${note}; the clipboard clears in 30 s.`,
        colour: 'green',
      };
    },

    async nextCounter(account: Account): Promise<Status> {
      if (account.type !== 'hotp') return { text: 'Next code is for counter-based (HOTP) accounts.', colour: 'yellow' };
      try {
        await store.update(account.id, { counter: account.counter + 1 });
      } catch (error) {
        return failure(error);
      }
      return { text: `${accountLabel(account)}: counter ${account.counter + 1}.`, colour: 'green' };
    },

    async add(account: NewAccount): Promise<Status & { added?: Account }> {
      if (store.list().some((existing) => isSameAccount(account, existing))) {
        return { text: 'This account is already in the vault.', colour: 'red' };
      }
      try {
        const added = await store.add(account);
        const warnings = warningsOf(added);
        return { text: `Added ${accountLabel(added)}.`, colour: 'green', lines: warnings, added };
      } catch (error) {
        return failure(error);
      }
    },

    async rename(account: Account, issuer: string, name: string): Promise<Status> {
      if (issuer.trim() === '' && name.trim() === '') {
        return { text: 'An account needs an issuer or a name.', colour: 'red' };
      }
      try {
        const renamed = await store.update(account.id, { issuer: issuer.trim(), name: name.trim() });
        return { text: `Renamed to ${accountLabel(renamed)}.`, colour: 'green' };
      } catch (error) {
        return failure(error);
      }
    },

    async remove(account: Account): Promise<Status> {
      try {
        await store.remove(account.id);
      } catch (error) {
        return failure(error);
      }
      return { text: `Deleted ${accountLabel(account)}.`, colour: 'green' };
    },

    async import(source: string, password: string): Promise<Status> {
      if (source.trim() === '') return { text: 'Give a file path or paste a URI.', colour: 'red' };
      let outcome: ImportOutcome;
      try {
        outcome = await importSource(source.trim(), password === '' ? undefined : password);
      } catch (error) {
        return failure(error, 'This could not be imported.');
      }
      let added = 0;
      try {
        for (const account of outcome.accounts) {
          if (store.list().some((existing) => hasSameSecret(account, existing))) continue;
          await store.add(account);
          added += 1;
        }
      } catch (error) {
        return { ...failure(error), text: `${failure(error).text} (${added} account(s) were imported before.)` };
      }
      const duplicates = outcome.accounts.length - added;
      return {
        text: `Imported ${added} account(s)${duplicates > 0 ? `, ${duplicates} already there` : ''}${outcome.skipped.length > 0 ? `, ${outcome.skipped.length} skipped:` : '.'}`,
        colour: outcome.skipped.length > 0 ? 'yellow' : 'green',
        lines: outcome.skipped.map((skip) => `! ${skip}`),
      };
    },
  };
}

export type AppActions = ReturnType<typeof createAppActions>;
