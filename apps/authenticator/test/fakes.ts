/**
 * Test doubles for the TUI: a clock advanced by hand, an in-memory account store, a clipboard that
 * records what it was given.
 */
import { type Account, type AccountChanges, type NewAccount, newAccountRecord } from '@mfakit/vault';
import type { AccountStore } from '../src/tui/account-store.js';
import type { Clipboard } from '../src/tui/clipboard.js';
import type { Clock } from '../src/tui/clock.js';

export class FakeClock implements Clock {
  #timers: { at: number; callback: () => void }[] = [];
  constructor(public time: number) {}
  now = () => this.time;
  schedule = (ms: number, callback: () => void) => {
    const timer = { at: this.time + ms, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((entry) => entry !== timer);
    };
  };
  get pending(): number {
    return this.#timers.length;
  }
  /** Moves time forward, firing due timers in order (each at its own instant). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.#timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.time = next.at;
      next.callback();
    }
    this.time = end;
  }
}

export function memoryStore(initial: NewAccount[]): AccountStore & { accounts: Account[] } {
  // The vault's own constructor: same defaults and validation as accounts added to a real vault.
  const make = (input: NewAccount): Account => newAccountRecord(input, 0);
  const store = {
    accounts: initial.map(make),
    list: () => store.accounts,
    add: async (input: NewAccount) => {
      const account = make(input);
      store.accounts = [...store.accounts, account];
      return account;
    },
    update: async (id: string, changes: AccountChanges) => {
      const index = store.accounts.findIndex((account) => account.id === id);
      const updated = Object.freeze({ ...(store.accounts[index] as Account), ...changes }) as Account;
      store.accounts = store.accounts.map((account) => (account.id === id ? updated : account));
      return updated;
    },
    remove: async (id: string) => {
      store.accounts = store.accounts.filter((account) => account.id !== id);
    },
  };
  return store;
}

export function fakeClipboard(
  tool: string | undefined,
): Clipboard & { copied: string[]; clearLater: (text: string, ms: number) => void; scheduled: [string, number][] } {
  const clipboard = {
    tool,
    copied: [] as string[],
    scheduled: [] as [string, number][],
    copy: async (text: string) => {
      clipboard.copied.push(text);
    },
    clearLater: (text: string, ms: number) => {
      clipboard.scheduled.push([text, ms]);
    },
  };
  return clipboard;
}

/** Lets React and Ink process queued input and state updates (not a sleep: one macrotask). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
