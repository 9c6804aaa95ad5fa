/**
 * @module
 * `ServerStore` on SQLite: a second better-sqlite3 connection to the registry's file (WAL), with
 * its own `server_*` tables created if missing.
 *
 * Writes are group-committed: those made in one event-loop turn share one transaction (one
 * fsync with `synchronous = FULL`: a sign-in writes two rate-limit counters and a session), and
 * each answers only once its commit is durable. They never wait for the file's write lock inside
 * SQLite: the registry's connection in this same process holds its lock across an event-loop
 * turn (its own group commit) and commits on that turn, so SQLite's busy handler — a synchronous
 * sleep — would stall the event loop until the busy timeout and then fail. Here a busy group
 * yields to the event loop and tries again, up to the busy timeout; other processes sharing the
 * file are waited for the same way.
 */
import Database from 'better-sqlite3';
import type { LoginRecord, OutboxMessage, ServerStore, SessionRecord } from './server-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS server_logins (
  user_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  must_enroll_mfa INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS server_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  mfa_at INTEGER,
  stage TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS server_sessions_user ON server_sessions (user_id);
CREATE TABLE IF NOT EXISTS server_rate_limits (
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE TABLE IF NOT EXISTS server_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  text TEXT NOT NULL
);
`;

interface LoginRow {
  user_id: string;
  account_id: string;
  email: string;
  password_hash: string;
  must_enroll_mfa: number;
  created_at: number;
}

interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  mfa_at: number | null;
  stage: 'password' | 'full';
}

const login = (row: LoginRow | undefined): LoginRecord | undefined =>
  row === undefined
    ? undefined
    : {
        userId: row.user_id,
        accountId: row.account_id,
        email: row.email,
        passwordHash: row.password_hash,
        mustEnrollMfa: row.must_enroll_mfa === 1,
        createdAt: row.created_at,
      };

function prepare(db: Database.Database) {
  return {
    insertLogin: db.prepare(
      'INSERT OR IGNORE INTO server_logins (user_id, account_id, email, password_hash, must_enroll_mfa, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    loginByEmail: db.prepare('SELECT * FROM server_logins WHERE email = ?'),
    loginByUser: db.prepare('SELECT * FROM server_logins WHERE user_id = ?'),
    setMustEnrollMfa: db.prepare('UPDATE server_logins SET must_enroll_mfa = ? WHERE user_id = ?'),
    insertSession: db.prepare(
      'INSERT INTO server_sessions (id_hash, user_id, created_at, last_seen_at, mfa_at, stage) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    getSession: db.prepare('SELECT * FROM server_sessions WHERE id_hash = ?'),
    touchSession: db.prepare('UPDATE server_sessions SET last_seen_at = ? WHERE id_hash = ?'),
    deleteSession: db.prepare('DELETE FROM server_sessions WHERE id_hash = ?'),
    deleteExpiredSessions: db.prepare('DELETE FROM server_sessions WHERE last_seen_at < ? OR created_at < ?'),
    hitRateLimit: db.prepare(
      `INSERT INTO server_rate_limits (key, window_start, count) VALUES (?, ?, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 RETURNING count`,
    ),
    appendOutbox: db.prepare(
      'INSERT INTO server_outbox (at, channel, recipient, subject, text) VALUES (?, ?, ?, ?, ?)',
    ),
    listOutbox: db.prepare(
      'SELECT id, at, channel, recipient AS "to", subject, text FROM server_outbox ORDER BY id DESC LIMIT ?',
    ),
    ping: db.prepare('SELECT 1'),
  };
}

export interface SqliteServerStoreOptions {
  /** As the registry store's: `full` (default) fsyncs every commit, `normal` may lose the last ones on a power cut. */
  synchronous?: 'full' | 'normal';
  /** How long a write waits for the write lock before failing (default 5 000 ms). */
  busyTimeoutMs?: number;
}

/**
 * How a write must survive a power cut. `LIGHT` writes — rate-limit hits, new sessions, session
 * touches — are committed without an fsync of their own (WAL, as `synchronous = NORMAL`): a
 * power cut can forget the last of them, which signs a few users out or forgets a minute's
 * hits, never corrupts, and any later fsynced commit (the registry's, on the same WAL) makes
 * them durable too. Everything else (logins, sign-outs, flags, the outbox) follows the
 * configured mode. The MFA verify path then adds no fsync of its own to the registry's.
 */
const DURABLE = 'durable';
const LIGHT = 'light';
type Durability = typeof DURABLE | typeof LIGHT;

interface PendingWrite {
  durable: boolean;
  operation: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  deadline: number;
}

const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT';
};

export class SqliteServerStore implements ServerStore {
  readonly #db: Database.Database;
  readonly #busyTimeoutMs: number;
  readonly #fullSync: boolean;
  /** The connection's `synchronous` now (LIGHT-only groups commit with NORMAL). */
  #synchronous: 'FULL' | 'NORMAL';
  /** Writes waiting for the next group commit. */
  #pending: PendingWrite[] = [];
  /** Prepared once: parsing the SQL again on every request costs more than running it. */
  readonly #sql: ReturnType<typeof prepare>;

  constructor(path: string, options: SqliteServerStoreOptions = {}) {
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.#db = new Database(path);
    // No busy handler (see the module comment): a busy group commit retries without blocking the event loop.
    this.#db.pragma('busy_timeout = 0');
    this.#retrySync(() => this.#db.pragma('journal_mode = WAL'));
    this.#fullSync = options.synchronous !== 'normal';
    this.#synchronous = this.#fullSync ? 'FULL' : 'NORMAL';
    this.#db.pragma(`synchronous = ${this.#synchronous}`);
    this.#retrySync(() => this.#db.exec(SCHEMA));
    this.#sql = prepare(this.#db);
  }

  /** At start-up only (nothing else runs yet): waits for another process's lock, blocking. */
  #retrySync(operation: () => unknown): void {
    const deadline = Date.now() + this.#busyTimeoutMs;
    for (;;) {
      try {
        operation();
        return;
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }

  /**
   * Runs a write in the next group commit: the writes of this event-loop turn share one
   * `BEGIN IMMEDIATE … COMMIT` (one fsync with FULL), run in one synchronous call so the lock is
   * never held across turns; each resolves only after the commit. While another connection
   * holds the lock, the group waits for a later turn (the registry's commits run on this one).
   */
  #write<T>(operation: () => T, durability: Durability = DURABLE): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({
        operation,
        durable: durability === DURABLE,
        resolve: resolve as (value: unknown) => void,
        reject,
        deadline: Date.now() + this.#busyTimeoutMs,
      });
      if (this.#pending.length === 1) setImmediate(() => this.#commitPending(0));
    });
  }

  #commitPending(busyTries: number): void {
    if (this.#pending.length === 0) return;
    try {
      // SQLite refuses to change it inside a transaction.
      const synchronous = this.#fullSync && this.#pending.some((entry) => entry.durable) ? 'FULL' : 'NORMAL';
      if (synchronous !== this.#synchronous) {
        this.#db.pragma(`synchronous = ${synchronous}`);
        this.#synchronous = synchronous;
      }
      this.#db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      const now = Date.now();
      const retry = isBusy(error);
      this.#pending = this.#pending.filter((entry) => {
        if (retry && now < entry.deadline) return true;
        entry.reject(error);
        return false;
      });
      if (this.#pending.length > 0) {
        // Next turn first (another connection of this process commits there), then backing off a little.
        if (busyTries < 8) setImmediate(() => this.#commitPending(busyTries + 1));
        else setTimeout(() => this.#commitPending(busyTries + 1), Math.min(busyTries - 7, 5));
      }
      return;
    }
    const group = this.#pending;
    this.#pending = [];
    const outcomes = group.map((entry) => {
      try {
        return { ok: true as const, value: entry.operation() };
      } catch (error) {
        return { ok: false as const, error };
      }
    });
    try {
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      for (const entry of group) entry.reject(error);
      return;
    }
    group.forEach((entry, index) => {
      const outcome = outcomes[index] as (typeof outcomes)[number];
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }

  async insertLogin(record: LoginRecord): Promise<boolean> {
    const result = await this.#write(() =>
      this.#sql.insertLogin.run(
        record.userId,
        record.accountId,
        record.email,
        record.passwordHash,
        record.mustEnrollMfa ? 1 : 0,
        record.createdAt,
      ),
    );
    return result.changes === 1;
  }

  async loginByEmail(email: string): Promise<LoginRecord | undefined> {
    return login(this.#sql.loginByEmail.get(email) as LoginRow | undefined);
  }

  async loginByUser(userId: string): Promise<LoginRecord | undefined> {
    return login(this.#sql.loginByUser.get(userId) as LoginRow | undefined);
  }

  async setMustEnrollMfa(userId: string, value: boolean): Promise<void> {
    await this.#write(() => this.#sql.setMustEnrollMfa.run(value ? 1 : 0, userId));
  }

  async insertSession(session: SessionRecord): Promise<void> {
    await this.#write(
      () =>
        this.#sql.insertSession.run(
          session.idHash,
          session.userId,
          session.createdAt,
          session.lastSeenAt,
          session.mfaAt,
          session.stage,
        ),
      LIGHT,
    );
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = this.#sql.getSession.get(idHash) as SessionRow | undefined;
    if (row === undefined) return undefined;
    return {
      idHash: row.id_hash,
      userId: row.user_id,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      mfaAt: row.mfa_at,
      stage: row.stage,
    };
  }

  async touchSession(idHash: string, at: number): Promise<void> {
    await this.#write(() => this.#sql.touchSession.run(at, idHash), LIGHT);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#write(() => this.#sql.deleteSession.run(idHash));
  }

  async deleteExpiredSessions(idleBefore: number, createdBefore: number): Promise<number> {
    return (await this.#write(() => this.#sql.deleteExpiredSessions.run(idleBefore, createdBefore))).changes;
  }

  async hitRateLimit(key: string, windowStart: number): Promise<number> {
    const row = await this.#write(() => this.#sql.hitRateLimit.get(key, windowStart) as { count: number }, LIGHT);
    return row.count;
  }

  async appendOutbox(message: Omit<OutboxMessage, 'id'>): Promise<void> {
    await this.#write(() =>
      this.#sql.appendOutbox.run(message.at, message.channel, message.to, message.subject, message.text),
    );
  }

  async listOutbox(limit: number): Promise<OutboxMessage[]> {
    return this.#sql.listOutbox.all(limit) as OutboxMessage[];
  }

  async ping(): Promise<void> {
    this.#sql.ping.get();
  }

  async close(): Promise<void> {
    // Writes already made are committed (or refused) before the connection goes.
    this.#commitPending(0);
    this.#db.close();
  }
}
