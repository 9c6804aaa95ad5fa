/**
 * @module
 * `ServerStore` on SQLite: a second better-sqlite3 connection to the registry's file (WAL), with
 * its own `server_*` tables created if missing.
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

export class SqliteServerStore implements ServerStore {
  readonly #db: Database.Database;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(SCHEMA);
  }

  async insertLogin(record: LoginRecord): Promise<boolean> {
    const result = this.#db
      .prepare(
        'INSERT OR IGNORE INTO server_logins (user_id, account_id, email, password_hash, must_enroll_mfa, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        record.userId,
        record.accountId,
        record.email,
        record.passwordHash,
        record.mustEnrollMfa ? 1 : 0,
        record.createdAt,
      );
    return result.changes === 1;
  }

  async loginByEmail(email: string): Promise<LoginRecord | undefined> {
    return login(this.#db.prepare('SELECT * FROM server_logins WHERE email = ?').get(email) as LoginRow | undefined);
  }

  async loginByUser(userId: string): Promise<LoginRecord | undefined> {
    return login(this.#db.prepare('SELECT * FROM server_logins WHERE user_id = ?').get(userId) as LoginRow | undefined);
  }

  async setMustEnrollMfa(userId: string, value: boolean): Promise<void> {
    this.#db.prepare('UPDATE server_logins SET must_enroll_mfa = ? WHERE user_id = ?').run(value ? 1 : 0, userId);
  }

  async insertSession(session: SessionRecord): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO server_sessions (id_hash, user_id, created_at, last_seen_at, mfa_at, stage) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(session.idHash, session.userId, session.createdAt, session.lastSeenAt, session.mfaAt, session.stage);
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = this.#db.prepare('SELECT * FROM server_sessions WHERE id_hash = ?').get(idHash) as
      | SessionRow
      | undefined;
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
    this.#db.prepare('UPDATE server_sessions SET last_seen_at = ? WHERE id_hash = ?').run(at, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.#db.prepare('DELETE FROM server_sessions WHERE id_hash = ?').run(idHash);
  }

  async deleteExpiredSessions(idleBefore: number, createdBefore: number): Promise<number> {
    return this.#db
      .prepare('DELETE FROM server_sessions WHERE last_seen_at < ? OR created_at < ?')
      .run(idleBefore, createdBefore).changes;
  }

  async hitRateLimit(key: string, windowStart: number): Promise<number> {
    const row = this.#db
      .prepare(
        `INSERT INTO server_rate_limits (key, window_start, count) VALUES (?, ?, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 RETURNING count`,
      )
      .get(key, windowStart) as { count: number };
    return row.count;
  }

  async appendOutbox(message: Omit<OutboxMessage, 'id'>): Promise<void> {
    this.#db
      .prepare('INSERT INTO server_outbox (at, channel, recipient, subject, text) VALUES (?, ?, ?, ?, ?)')
      .run(message.at, message.channel, message.to, message.subject, message.text);
  }

  async listOutbox(limit: number): Promise<OutboxMessage[]> {
    const rows = this.#db
      .prepare('SELECT id, at, channel, recipient AS "to", subject, text FROM server_outbox ORDER BY id DESC LIMIT ?')
      .all(limit) as OutboxMessage[];
    return rows;
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
