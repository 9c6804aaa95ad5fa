/**
 * @module
 * `MemoryRegistryStore`: the `RegistryStore` for tests, demos and single-process servers that
 * accept losing state on restart. Each operation runs synchronously to completion (memory-tables.ts).
 * A transaction runs alone: transactions queue one after another, and operations outside them
 * wait while one is running — the strictest isolation, which is what lets a rollback simply undo
 * the transaction's journal. Test-only views (snapshot, dump, tampering) live in
 * memory-store-inspector.ts, outside this class.
 */
import { type Journal, MemoryData, memoryTables, type Runner } from './memory-tables.js';
import type {
  AccountStore,
  AttemptStore,
  AuditLogStore,
  ChallengeStore,
  DeviceStore,
  HardwareTokenStore,
  RecoveryCodeStore,
  RecoverySessionStore,
  RegistryStore,
  StoreTransaction,
  UserStore,
} from './store.js';
import { TransactionGate } from './transaction-gate.js';

/** The data behind each store, for the inspector (kept out of the class's public surface). */
export const memoryStoreData = new WeakMap<MemoryRegistryStore, MemoryData>();

export class MemoryRegistryStore implements RegistryStore {
  readonly accounts: AccountStore;
  readonly users: UserStore;
  readonly devices: DeviceStore;
  readonly tokens: HardwareTokenStore;
  readonly attempts: AttemptStore;
  readonly recoveryCodes: RecoveryCodeStore;
  readonly recoverySessions: RecoverySessionStore;
  readonly challenges: ChallengeStore;
  readonly audit: AuditLogStore;

  readonly #data = new MemoryData();
  readonly #gate = new TransactionGate();

  constructor() {
    memoryStoreData.set(this, this.#data);
    const autocommit: Runner = (operation) => this.#gate.whenIdle(() => operation(undefined));
    const tables = memoryTables(this.#data, autocommit);
    this.accounts = tables.accounts;
    this.users = tables.users;
    this.devices = tables.devices;
    this.tokens = tables.tokens;
    this.attempts = tables.attempts;
    this.recoveryCodes = tables.recoveryCodes;
    this.recoverySessions = tables.recoverySessions;
    this.challenges = tables.challenges;
    this.audit = tables.audit;
  }

  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    if (typeof work !== 'function') return Promise.reject(new TypeError('work must be a function'));
    return this.#gate.exclusive(async () => {
      const journal: Journal = [];
      let open = true;
      const inside: Runner = (operation) => {
        if (!open) return Promise.reject(new Error('This transaction has ended; use the store'));
        try {
          return Promise.resolve(operation(journal));
        } catch (error) {
          return Promise.reject(error);
        }
      };
      const tx: StoreTransaction = {
        ...memoryTables(this.#data, inside),
        lockUser: (userId) => inside(() => this.#data.users.has(userId)),
      };
      try {
        return await work(tx);
      } catch (error) {
        for (let i = journal.length - 1; i >= 0; i--) (journal[i] as () => void)();
        throw error;
      } finally {
        open = false;
      }
    });
  }

  toString(): string {
    return 'MemoryRegistryStore';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
