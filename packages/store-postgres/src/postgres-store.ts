/**
 * @module
 * `PostgresRegistryStore`: the `RegistryStore` on PostgreSQL, for many server instances sharing
 * one database. Single calls run on the pool (one autocommit statement each, the compare-and-sets
 * conditional UPDATEs); `transaction(work)` checks out one connection, runs `work` between BEGIN
 * and COMMIT (READ COMMITTED: each statement sees what committed before it), and `lockUser` is
 * `SELECT … FOR UPDATE` on the user's row, so flows over one user's rows run one at a time. A
 * serialisation failure or deadlock rolls back and runs `work` again (bounded). Any other
 * failure of the server or the connection is `MfaError('store_unavailable')` with the driver's
 * error as `cause`: the registry fails closed, and the pool opens fresh connections once the
 * server is back.
 */
import type { RegistryStore, StoreTransaction } from '@mfakit/registry/store';
import { AuditAppender } from './audit-appender.js';
import type { PgPool, PgPoolClient, PgQueryable } from './client.js';
import { isRetryable, storeError, wrapDriverError } from './errors.js';
import { inspectSchema, migrate, type SchemaState } from './migrations.js';
import { LATEST_VERSION } from './schema.js';
import { auditLockKey, auditLockStatement, prepareStatements, quoteIdentifier, type Statements } from './statements.js';
import { DEFAULT_ROUND_SIZE, postgresRounds, postgresTables, type Runner } from './tables.js';

/**
 * Options of `PostgresRegistryStore.connect`. The pool options (`maxConnections`,
 * `statementTimeoutMs`, `connectionTimeoutMs`) apply only when the store makes the pool from a URL;
 * with a pool of your own, set them on it.
 */
export interface PostgresStoreOptions {
  /** The schema the tables live in (default `public`); created if missing. */
  schema?: string;
  /** Apply missing migrations on connect (default true). With false, an outdated schema is refused (`schema_outdated`). */
  migrate?: boolean;
  /**
   * With a URL: the pool's size (default 10). Each connection is a PostgreSQL backend process:
   * every instance's pool counts against the server's `max_connections`.
   */
  maxConnections?: number;
  /** With a URL: a statement running longer is cancelled and fails with `store_unavailable` (default 5 000 ms). */
  statementTimeoutMs?: number;
  /** With a URL: how long to wait for a connection (default 5 000 ms). */
  connectionTimeoutMs?: number;
  /**
   * How many times a transaction runs when it keeps failing on serialisation or deadlock
   * (default 5); after the last, `store_unavailable`.
   */
  transactionAttempts?: number;
  /**
   * Sign-in calls per round at most (default 64). Outside transactions, the sign-in's calls
   * (the read with its reservation, the accept, the attempt counter's read and compare-and-set)
   * that an instance makes at about the same time share one statement per kind — one round trip
   * and one commit (README, "Why it is built this way"); 1 sends every call on its own.
   */
  roundSize?: number;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer ≥ 1`);
  return value;
}

async function createPool(url: string, options: PostgresStoreOptions): Promise<PgPool> {
  let pg: { default?: { Pool: new (config: object) => PgPool }; Pool?: new (config: object) => PgPool };
  try {
    pg = await import('pg');
  } catch (error) {
    throw new TypeError('@mfakit/store-postgres needs the `pg` package (a peer dependency): npm install pg', {
      cause: error,
    });
  }
  const Pool = pg.default?.Pool ?? pg.Pool;
  if (Pool === undefined) throw new TypeError('the installed `pg` package has no Pool');
  return new Pool({
    connectionString: url,
    max: positiveInteger(options.maxConnections, 10, 'maxConnections'),
    statement_timeout: positiveInteger(options.statementTimeoutMs, 5000, 'statementTimeoutMs'),
    connectionTimeoutMillis: positiveInteger(options.connectionTimeoutMs, 5000, 'connectionTimeoutMs'),
    // A transaction left open by a stuck caller must not hold a user's lock forever.
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'mfakit-registry',
  });
}

/**
 * The `RegistryStore` of @mfakit/registry on PostgreSQL, for many server instances sharing one
 * database. Connect with `PostgresRegistryStore.connect()` and `close()` it on shutdown.
 *
 * Atomicity: a single call is one autocommit statement; compare-and-sets are conditional
 * statements, so of racing requests (any instance) exactly one wins. Audit appends outside a
 * transaction are batched per process, one commit per batch. Failing closed: any failure of the
 * server or the connection is `store_unavailable` and nothing of the call is accepted.
 *
 * Durability is the server's: a call resolves after its COMMIT, as durable as the server's
 * `synchronous_commit` makes it. Keep it `on` (the default): with `off` a server crash can forget
 * the last commits, so a code accepted just before could be accepted again.
 */
export class PostgresRegistryStore implements RegistryStore {
  readonly accounts: RegistryStore['accounts'];
  readonly users: RegistryStore['users'];
  readonly devices: RegistryStore['devices'];
  readonly tokens: RegistryStore['tokens'];
  readonly attempts: RegistryStore['attempts'];
  readonly recoveryCodes: RegistryStore['recoveryCodes'];
  readonly recoverySessions: RegistryStore['recoverySessions'];
  readonly challenges: RegistryStore['challenges'];
  readonly audit: RegistryStore['audit'];
  /** The schema the tables live in. */
  readonly schema: string;

  readonly #pool: PgPool;
  readonly #ownsPool: boolean;
  readonly #statements: Statements;
  readonly #attempts: number;
  #closed = false;

  private constructor(pool: PgPool, ownsPool: boolean, schema: string, attempts: number, roundSize: number) {
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.schema = schema;
    this.#attempts = attempts;
    this.#statements = prepareStatements(schema);
    const tables = postgresTables(
      this.#statements,
      this.#autocommit,
      (what, operation) => this.#inTransaction(what, operation, 1),
      postgresRounds(
        this.#statements,
        this.#autocommit,
        new AuditAppender(
          () => {
            if (this.#closed) throw storeError('store_unavailable', 'audit.append: the PostgreSQL store is closed');
            return this.#pool;
          },
          this.#statements,
          auditLockKey(schema),
        ),
        roundSize,
      ),
      auditLockStatement(schema),
    );
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
   * Connects to PostgreSQL by URL (`postgres://user:password@host:5432/db`; the store owns and
   * ends the pool) or through a pool you made (`new pg.Pool(…)`; you end it), checks the schema
   * and migrates it unless `migrate: false`. Another application's schema, a newer schema,
   * wrong credentials or an unreachable server are refused with an `MfaError` and change nothing.
   *
   * @throws `MfaError` `store_unavailable`, `store_auth_failed`, `store_foreign`,
   * `schema_too_new`, or `schema_outdated` (with `migrate: false`); `RangeError` for a schema
   * name that is not a plain identifier or a bad option; `TypeError` for something that is neither
   * a URL nor a pool, or when a URL is given and `pg` is not installed.
   */
  static async connect(urlOrPool: string | PgPool, options: PostgresStoreOptions = {}): Promise<PostgresRegistryStore> {
    const schema = options.schema ?? 'public';
    if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
      throw new RangeError('schema must be a plain identifier (letters, digits, _; at most 63)');
    }
    const attempts = positiveInteger(options.transactionAttempts, 5, 'transactionAttempts');
    const roundSize = positiveInteger(options.roundSize, DEFAULT_ROUND_SIZE, 'roundSize');
    const owns = typeof urlOrPool === 'string';
    if (!owns && (typeof urlOrPool !== 'object' || urlOrPool === null || typeof urlOrPool.connect !== 'function')) {
      throw new TypeError('urlOrPool must be a postgres:// URL or a pg Pool');
    }
    const pool = owns ? await createPool(urlOrPool, options) : urlOrPool;
    // An idle pooled connection that the server drops (restart, failover) is discarded by the
    // pool; without a listener, pg's 'error' event would end the process.
    pool.on?.('error', () => {});
    try {
      const state = await PostgresRegistryStore.#state(pool, schema);
      if (state.version < LATEST_VERSION) {
        if (options.migrate === false) {
          throw storeError(
            'schema_outdated',
            `Schema ${quoteIdentifier(schema)} has version ${state.version}, this code needs ${LATEST_VERSION}: ` +
              'run mfakit-postgres-migrate (or connect with migrate: true)',
          );
        }
        await migrate(pool, schema, Date.now());
      }
      return new PostgresRegistryStore(pool, owns, schema, attempts, roundSize);
    } catch (error) {
      if (owns) await pool.end().catch(() => {});
      throw error;
    }
  }

  /** Applies missing migrations (for operators who migrate before starting servers); returns those applied. */
  static async migrate(
    urlOrPool: string | PgPool,
    options: { schema?: string; to?: number } = {},
  ): Promise<{ applied: number[]; version: number }> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) throw new RangeError('schema must be a plain identifier');
    const owns = typeof urlOrPool === 'string';
    const pool = owns ? await createPool(urlOrPool, {}) : urlOrPool;
    pool.on?.('error', () => {});
    try {
      await PostgresRegistryStore.#state(pool, schema);
      const applied = await migrate(pool, schema, Date.now(), options.to);
      return { applied, version: (await PostgresRegistryStore.#state(pool, schema)).version };
    } finally {
      if (owns) await pool.end().catch(() => {});
    }
  }

  /** The schema's version and the newest this code knows, read without writing. */
  static async schemaState(urlOrPool: string | PgPool, options: { schema?: string } = {}): Promise<SchemaState> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) throw new RangeError('schema must be a plain identifier');
    const owns = typeof urlOrPool === 'string';
    const pool = owns ? await createPool(urlOrPool, {}) : urlOrPool;
    pool.on?.('error', () => {});
    try {
      return await PostgresRegistryStore.#state(pool, schema);
    } finally {
      if (owns) await pool.end().catch(() => {});
    }
  }

  static async #state(pool: PgPool, schema: string): Promise<SchemaState> {
    try {
      return await inspectSchema(pool, schema);
    } catch (error) {
      throw wrapDriverError(error, 'Connecting to PostgreSQL');
    }
  }

  readonly #autocommit: Runner = async (what, operation) => {
    if (this.#closed) throw storeError('store_unavailable', `${what}: the PostgreSQL store is closed`);
    try {
      return await operation(this.#pool);
    } catch (error) {
      throw wrapDriverError(error, what);
    }
  };

  async #checkout(what: string): Promise<PgPoolClient> {
    if (this.#closed) throw storeError('store_unavailable', `${what}: the PostgreSQL store is closed`);
    try {
      return await this.#pool.connect();
    } catch (error) {
      throw wrapDriverError(error, what);
    }
  }

  /** Runs `operation` between BEGIN and COMMIT on one connection, again after a serialisation failure. */
  async #inTransaction<T>(what: string, operation: (db: PgQueryable) => Promise<T>, attempts: number): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.#checkout(what);
      try {
        await client.query({ text: 'BEGIN' });
        const result = await operation(client);
        await client.query({ text: 'COMMIT' });
        client.release();
        return result;
      } catch (error) {
        try {
          await client.query({ text: 'ROLLBACK' });
          client.release();
        } catch {
          client.release(true); // a broken connection: do not give it back to the pool
        }
        if (attempt < attempts && isRetryable(error)) continue;
        throw wrapDriverError(error, what);
      }
    }
  }

  /**
   * Runs `work` on one pooled connection between BEGIN and COMMIT, at READ COMMITTED.
   * `tx.lockUser(userId)` is `SELECT … FOR UPDATE` on the user's row, so flows over one user run one
   * at a time while other users proceed. Commits when `work` resolves and returns its value; rolls
   * back and rethrows when it rejects. After a serialisation failure or deadlock it rolls back and
   * runs `work` again (up to `transactionAttempts` times), so `work` must have no effect outside
   * `tx`. Inside `work` use `tx`: a call on the store runs on another connection, outside the
   * transaction, and a write there to a row the transaction has locked waits for it to end. Each
   * open transaction holds one of the pool's connections.
   *
   * @throws `MfaError` `store_unavailable` (no connection within the timeout, the server failed
   * or went away, the store is closed, or the retries ran out), `duplicate_id`; `TypeError` when
   * `work` is not a function.
   */
  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    if (typeof work !== 'function') throw new TypeError('work must be a function');
    return this.#inTransaction(
      'transaction',
      async (client) => {
        let open = true;
        const inside: Runner = async (what, operation) => {
          if (!open) throw new Error('This transaction has ended; use the store');
          try {
            return await operation(client);
          } catch (error) {
            throw wrapDriverError(error, what);
          }
        };
        const s = this.#statements;
        const tx: StoreTransaction = {
          ...postgresTables(s, inside, inside, undefined, auditLockStatement(this.schema)),
          lockUser: (userId) => inside('lockUser', async (db) => (await db.query(s.userLock([userId]))).rowCount === 1),
        };
        try {
          return await work(tx);
        } finally {
          open = false;
        }
      },
      this.#attempts,
    );
  }

  /** Ends the pool if the store made it (from a URL). Calls after it fail with `store_unavailable`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) await this.#pool.end();
  }

  /** `PostgresRegistryStore(schema)`: never the URL or its password. */
  toString(): string {
    return `PostgresRegistryStore(${this.schema})`;
  }
  /** As `toString()`: `util.inspect` shows no URL or password either. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
