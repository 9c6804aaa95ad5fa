/**
 * @module
 * `SqliteRegistryStore`: the `RegistryStore` on one SQLite file (better-sqlite3), the embedded
 * default for one machine. Several processes may share the file: SQLite's file lock serialises
 * their writes, in WAL mode readers never wait for a writer, and `busy_timeout` makes a writer
 * wait for the lock instead of failing.
 *
 * One connection per store, and better-sqlite3 is synchronous: each store call runs to
 * completion before any other call of this process starts. A `transaction(work)` is `BEGIN
 * IMMEDIATE` (the write lock from the start, so it can never fail half-way on a lock upgrade)
 * and runs alone: other transactions queue behind it, and calls outside it wait until it ends,
 * because on one connection they would otherwise run *inside* it. Why each pragma: README.md.
 *
 * Group commit: the writes of concurrent calls share one commit (one fsync with `synchronous =
 * FULL`). The first write opens a `BEGIN IMMEDIATE` transaction; every call made until the
 * event loop's next turn runs in it, one after another as before; then one COMMIT, and only
 * then does each call resolve — so no answer is given before its write is durable, and a failed
 * commit fails every call in it. Reads with no group open run on their own.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { RegistryStore, StoreTransaction } from '@mfakit/registry/store';
import Database from 'better-sqlite3';
import { isBusy, storeError, wrapDriverError } from './errors.js';
import { inspectSchema, migrate, type SchemaState } from './migrations.js';
import { LATEST_VERSION } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';
import { type Runner, sqliteTables } from './tables.js';

/**
 * Options of `SqliteRegistryStore.open`: durability against write throughput (`synchronous`), how
 * long a write waits for another process (`busyTimeoutMs`), and whether opening may migrate
 * (`migrate`).
 */
export interface SqliteStoreOptions {
  /** Apply missing migrations on open (default true). With false, an outdated database is refused (`schema_outdated`). */
  migrate?: boolean;
  /** How long a write waits for another process's lock before failing with `store_unavailable` (default 5 000 ms). */
  busyTimeoutMs?: number;
  /**
   * `full` (default): every commit is fsynced, so an accepted code's step and every counted
   * failure survive a power loss. `normal`: a power loss may forget the last commits (never
   * corrupts; a process crash loses nothing), for several times the write throughput. The cost
   * of `normal` is security state: a code accepted just before the power loss can be accepted
   * again after the restart, and the last counted failures can be forgotten.
   */
  synchronous?: 'full' | 'normal';
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** Calls that only read: they run on their own unless a group commit is open. */
const READS = new Set([
  'accounts.get',
  'users.get',
  'users.list',
  'users.getWithDevices',
  'devices.get',
  'devices.list',
  'tokens.get',
  'tokens.list',
  'attempts.get',
  'recoveryCodes.get',
  'recoverySessions.get',
  'recoverySessions.listByUser',
  'audit.list',
]);

interface GroupEntry {
  resolve: () => void;
  reject: (error: unknown) => void;
}
const BEGIN_ATTEMPTS = 3;

/** Refuses a file that is not SQLite before the driver touches it (it would otherwise only fail on first use). */
function checkHeader(path: string): void {
  if (path === ':memory:' || !existsSync(path)) return;
  const header = Buffer.alloc(16);
  try {
    if (!statSync(path).isFile()) throw new Error('not a regular file');
    if (statSync(path).size === 0) return;
    const fd = openSync(path, 'r');
    try {
      readSync(fd, header, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw storeError('store_unavailable', `Cannot read ${path}: it must be a readable database file`, error);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) {
    throw storeError('store_corrupt', `${path} is not a SQLite database (bad header); nothing was changed`);
  }
}

function settle<T>(what: string, operation: () => T): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(wrapDriverError(error, what));
  }
}

/**
 * The `RegistryStore` of @mfakit/registry on one SQLite file (better-sqlite3, WAL). Open it with
 * `SqliteRegistryStore.open()` and `close()` it on shutdown.
 *
 * Atomicity and durability: every call is one statement or one `BEGIN IMMEDIATE` transaction, and
 * compare-and-sets are single conditional statements. Concurrent calls of this process share one
 * commit (group commit); none resolves before that commit is done, and with `synchronous: 'full'`
 * (the default) a done commit is fsynced. A failed commit fails every call in it.
 *
 * Several processes on one machine may share the file: SQLite's file lock serialises their
 * writers. WAL needs shared memory between them, so the file must not be on a network file system.
 */
export class SqliteRegistryStore implements RegistryStore {
  readonly accounts: RegistryStore['accounts'];
  readonly users: RegistryStore['users'];
  readonly devices: RegistryStore['devices'];
  readonly tokens: RegistryStore['tokens'];
  readonly attempts: RegistryStore['attempts'];
  readonly recoveryCodes: RegistryStore['recoveryCodes'];
  readonly recoverySessions: RegistryStore['recoverySessions'];
  readonly challenges: RegistryStore['challenges'];
  readonly audit: RegistryStore['audit'];
  /** The file this store is on (or `:memory:`). */
  readonly path: string;

  readonly #db: Database.Database;
  readonly #statements: Statements;
  /** `BEGIN IMMEDIATE` and `COMMIT`, prepared once (every group commit runs both; `exec` would parse them each time). */
  readonly #beginImmediate: Database.Statement;
  readonly #commit: Database.Statement;
  #closed = false;
  /** True while a transaction's work runs on the connection. */
  #inTransaction = false;
  /** Resolves when the transaction (or backup) queued last has finished. */
  #queue: Promise<void> = Promise.resolve();
  /** Calls waiting for the open transaction to end. */
  #waiting: (() => void)[] = [];
  /** The calls of the open group commit, answered after its COMMIT; undefined when none is open. */
  #group: GroupEntry[] | undefined;

  private constructor(db: Database.Database, path: string) {
    this.#db = db;
    this.path = path;
    this.#statements = prepareStatements(db);
    this.#beginImmediate = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    const tables = sqliteTables(db, this.#statements, this.#autocommit);
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

  /**
   * Opens (creating if needed) the registry database at `path`, or a private in-memory one
   * with `:memory:`, and migrates it unless `migrate: false`. A file that is not SQLite, is
   * damaged, belongs to another application or was migrated by a newer version is refused with
   * an `MfaError` before anything in it changes.
   *
   * @throws `MfaError` `store_unavailable` (the file or its folder cannot be opened or read),
   * `store_corrupt`, `store_foreign`, `schema_too_new`, or `schema_outdated` (with
   * `migrate: false`); `TypeError`/`RangeError` for an empty path or a bad option.
   */
  static async open(path: string, options: SqliteStoreOptions = {}): Promise<SqliteRegistryStore> {
    if (typeof path !== 'string' || path === '') throw new TypeError('path must be a file path or ":memory:"');
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0)
      throw new RangeError('busyTimeoutMs must be an integer ≥ 0');
    const synchronous = options.synchronous ?? 'full';
    if (synchronous !== 'full' && synchronous !== 'normal')
      throw new RangeError("synchronous must be 'full' or 'normal'");

    checkHeader(path);
    const db = SqliteRegistryStore.#connect(path);
    try {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      const state = inspectSchema(db, path);
      if (state.version < LATEST_VERSION && options.migrate === false) {
        throw storeError(
          'schema_outdated',
          `${path} has schema version ${state.version}, this code needs ${LATEST_VERSION}: run mfakit-sqlite-migrate (or open with migrate: true)`,
        );
      }
      try {
        // WAL: readers never block the writer, one fsync per commit (not two). `:memory:` stays `memory`.
        db.pragma('journal_mode = WAL');
        db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
        db.pragma('foreign_keys = ON');
      } catch (error) {
        throw wrapDriverError(error, `Opening ${path}`);
      }
      if (state.version < LATEST_VERSION) migrate(db, path, Date.now());
      return new SqliteRegistryStore(db, path);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Applies the missing migrations to the database at `path` and closes it (for operators who
   * migrate before starting servers: `mfakit-sqlite-migrate <path>`). Returns the versions applied.
   */
  static async migrate(path: string, options: { to?: number } = {}): Promise<{ applied: number[]; version: number }> {
    checkHeader(path);
    const db = SqliteRegistryStore.#connect(path);
    try {
      db.pragma('busy_timeout = 5000');
      inspectSchema(db, path);
      db.pragma('journal_mode = WAL');
      const applied = migrate(db, path, Date.now(), options.to);
      return { applied, version: inspectSchema(db, path).version };
    } finally {
      db.close();
    }
  }

  /** The schema version of the database at `path` and the newest this code knows, read without writing. */
  static async schemaState(path: string): Promise<SchemaState> {
    checkHeader(path);
    const db = SqliteRegistryStore.#connect(path, true);
    try {
      return inspectSchema(db, path);
    } finally {
      db.close();
    }
  }

  static #connect(path: string, readonly = false): Database.Database {
    try {
      return new Database(path, { readonly, fileMustExist: readonly });
    } catch (error) {
      throw storeError('store_unavailable', `Cannot open ${path}: check that its folder exists and is writable`, error);
    }
  }

  readonly #autocommit: Runner = <T>(what: string, operation: () => T): Promise<T> => {
    if (this.#closed) return Promise.reject(storeError('store_unavailable', `${what}: the SQLite store is closed`));
    if (this.#inTransaction) {
      // Re-checked on wake-up: another transaction may have started in between.
      return new Promise<void>((resolve) => this.#waiting.push(resolve)).then(() => this.#autocommit(what, operation));
    }
    if (this.#group === undefined) {
      if (READS.has(what)) return settle(what, operation);
      try {
        this.#begin(what);
      } catch (error) {
        return Promise.reject(error);
      }
      this.#group = [];
      setImmediate(() => this.#commitGroup());
    }
    const group = this.#group;
    let value: T;
    try {
      value = operation();
    } catch (error) {
      const wrapped = wrapDriverError(error, what);
      // Some failures (I/O, disk full) make SQLite roll the whole transaction back: the calls
      // already in the group lost their writes too.
      if (!this.#db.inTransaction) this.#failGroup(wrapped);
      return Promise.reject(wrapped);
    }
    return new Promise<T>((resolve, reject) => group.push({ resolve: () => resolve(value), reject }));
  };

  /** Commits the open group and answers its calls (at the next turn, or before a transaction, backup or close). */
  #commitGroup(): void {
    const group = this.#group;
    if (group === undefined) return;
    try {
      this.#commit.run();
    } catch (error) {
      this.#failGroup(wrapDriverError(error, 'commit'));
      return;
    }
    this.#group = undefined;
    for (const entry of group) entry.resolve();
  }

  #failGroup(error: unknown): void {
    const group = this.#group ?? [];
    this.#group = undefined;
    if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
    for (const entry of group) entry.reject(error);
  }

  /** Runs `body` alone: after every transaction (and backup) queued before it. */
  async #exclusive<T>(body: () => Promise<T>): Promise<T> {
    const previous = this.#queue;
    let release = () => {};
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      if (this.#closed) throw storeError('store_unavailable', 'The SQLite store is closed');
      return await body();
    } finally {
      release();
    }
  }

  #begin(what: string): void {
    for (let attempt = 1; ; attempt++) {
      try {
        this.#beginImmediate.run();
        return;
      } catch (error) {
        // Each attempt already waited busy_timeout for the other process's write lock.
        if (!isBusy(error) || attempt >= BEGIN_ATTEMPTS) throw wrapDriverError(error, what);
      }
    }
  }

  /**
   * Runs `work` in one `BEGIN IMMEDIATE` transaction: the database's write lock is held from the
   * start, so every other writer, in this process and in others, waits for it (and `tx.lockUser`
   * needs no row lock). Commits when `work` resolves and returns its value; rolls back and rethrows
   * when it rejects. Transactions run one at a time in call order, and the store's other calls wait
   * until the transaction ends — so inside `work` use `tx`: awaiting the store itself there never
   * resolves.
   *
   * @throws `MfaError` `store_unavailable` when the write lock is not obtained (three waits of
   * `busyTimeoutMs`), the commit fails or the store is closed; `TypeError` when `work` is not a
   * function.
   */
  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    if (typeof work !== 'function') throw new TypeError('work must be a function');
    return this.#exclusive(async () => {
      this.#commitGroup();
      this.#begin('transaction');
      this.#inTransaction = true;
      let open = true;
      const inside: Runner = (what, operation) =>
        open ? settle(what, operation) : Promise.reject(new Error('This transaction has ended; use the store'));
      const tx: StoreTransaction = {
        ...sqliteTables(this.#db, this.#statements, inside),
        // BEGIN IMMEDIATE already holds the database's write lock: every transaction is serialised.
        lockUser: (userId) => inside('lockUser', () => this.#statements.userExists.get(userId) !== undefined),
      };
      try {
        const result = await work(tx);
        open = false;
        try {
          this.#commit.run();
        } catch (error) {
          throw wrapDriverError(error, 'transaction commit');
        }
        return result;
      } catch (error) {
        open = false;
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      } finally {
        this.#inTransaction = false;
        for (const wake of this.#waiting.splice(0)) wake();
      }
    });
  }

  /**
   * Writes a consistent copy of the database to `destination` while the store stays in use
   * (SQLite's online backup). Transactions wait until it is done; single calls go on. The copy
   * is a complete database: restore by stopping the servers and putting it in place of the
   * file (deleting the old file's `-wal` and `-shm`), see README.md.
   */
  async backup(destination: string): Promise<void> {
    if (typeof destination !== 'string' || destination === '') throw new TypeError('destination must be a file path');
    await this.#exclusive(async () => {
      this.#commitGroup();
      try {
        await this.#db.backup(destination);
      } catch (error) {
        throw wrapDriverError(error, `backup to ${destination}`);
      }
    });
  }

  /** Waits for the running transaction, then closes the connection. Calls after it fail with `store_unavailable`. */
  async close(): Promise<void> {
    await this.#exclusive(async () => {
      this.#commitGroup();
      this.#closed = true;
      this.#db.close();
    }).catch((error: unknown) => {
      if (!this.#closed) throw error;
    });
  }

  /** Just the class name: no path, no contents. */
  toString(): string {
    return 'SqliteRegistryStore';
  }
  /** As `toString()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
