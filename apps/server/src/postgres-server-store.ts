/**
 * @module
 * `ServerStore` on PostgreSQL (pg 8 pool): logins, sessions, rate-limit counters and the outbox in
 * a schema of their own (`mfakit_server` by default) of the registry's database, so every server
 * instance shares them, and the registry's schema holds only its own tables.
 *
 * Every statement is prepared once per connection (named). Rate-limit hits, new sessions and
 * session touches go through a second, small pool whose connections commit with
 * `synchronous_commit = off`: they do not wait for the WAL flush (an OS crash may forget the last
 * few hundred milliseconds of them, which signs a few users out or forgets some hits, never
 * corrupts anything — the same trade as the SQLite store's light writes); everything else waits.
 */
import pg from 'pg';
import type { LoginRecord, OutboxMessage, ServerStore, SessionRecord } from './server-store.js';
import { LookupRounds, RateLimitRounds } from './server-store-rounds.js';

const schemaSql = (schema: string) => `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.logins (
  user_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  must_enroll_mfa BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS ${schema}.sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  mfa_at BIGINT,
  stage TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON ${schema}.sessions (user_id);
CREATE TABLE IF NOT EXISTS ${schema}.rate_limits (
  key TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE TABLE IF NOT EXISTS ${schema}.outbox (
  id BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  text TEXT NOT NULL
);`;

interface LoginRow {
  user_id: string;
  account_id: string;
  email: string;
  password_hash: string;
  must_enroll_mfa: boolean;
  created_at: string;
}

interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  mfa_at: string | null;
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
        mustEnrollMfa: row.must_enroll_mfa,
        createdAt: Number(row.created_at),
      };

export class PostgresServerStore implements ServerStore {
  readonly #pool: pg.Pool;
  /** Connections that commit without waiting for the WAL flush: for the light writes only. */
  readonly #lightPool: pg.Pool;
  readonly #schema: string;
  /** Statement texts with the schema filled in, by statement name. */
  readonly #texts = new Map<string, string>();
  /** Session lookups, in rounds (server-store-rounds.ts). */
  readonly #sessions = new LookupRounds<SessionRow>(async (hashes) =>
    (
      await this.#rows<SessionRow>('get_sessions', 'SELECT * FROM $schema.sessions WHERE id_hash = ANY($1::text[])', [
        hashes,
      ])
    ).map((row) => ({ key: row.id_hash, row })),
  );
  /** Rate-limit hits, summed per row and written in rounds (server-store-rounds.ts). */
  readonly #hits = new RateLimitRounds(async (keys, starts, hits) => {
    const rows = await this.#rows<{ key: string; window_start: string; count: number }>(
      'hit_rate_limits',
      `INSERT INTO $schema.rate_limits (key, window_start, count)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[])
       ON CONFLICT (key, window_start) DO UPDATE SET count = $schema.rate_limits.count + excluded.count
       RETURNING key, window_start, count`,
      [keys, starts, hits],
      this.#lightPool,
    );
    const totals = new Map(rows.map((row) => [`${row.window_start}\u0000${row.key}`, Number(row.count)]));
    return keys.map((key, i) => {
      const total = totals.get(`${starts[i]}\u0000${key}`);
      if (total === undefined) throw new Error('rate_limits: the upsert returned no row for a key');
      return total;
    });
  });

  private constructor(pool: pg.Pool, lightPool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#lightPool = lightPool;
    this.#schema = schema;
  }

  /** Connects, and creates the schema and tables when missing (under an advisory lock: instances start together). */
  static async connect(url: string, schema = 'mfakit_server'): Promise<PostgresServerStore> {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError('schema must be a lower-case SQL identifier');
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: 5000,
      statement_timeout: 5000,
    });
    pool.on('error', () => {});
    const lightPool = new pg.Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: 5000,
      statement_timeout: 5000,
      options: '-c synchronous_commit=off',
    });
    lightPool.on('error', () => {});
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      await Promise.all([pool.end(), lightPool.end()]);
      throw error;
    }
    try {
      await client.query("SELECT pg_advisory_lock(hashtext('mfakit_server_schema'))");
      await client.query(schemaSql(schema));
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('mfakit_server_schema'))").catch(() => {});
      client.release();
    }
    return new PostgresServerStore(pool, lightPool, schema);
  }

  async #rows<T>(name: string, text: string, values: unknown[], pool = this.#pool): Promise<T[]> {
    let prepared = this.#texts.get(name);
    if (prepared === undefined) {
      prepared = text.replaceAll('$schema', this.#schema);
      this.#texts.set(name, prepared);
    }
    return (await pool.query({ name: `${this.#schema}_${name}`, text: prepared, values })).rows as T[];
  }

  async insertLogin(record: LoginRecord): Promise<boolean> {
    const rows = await this.#rows(
      'insert_login',
      `INSERT INTO $schema.logins (user_id, account_id, email, password_hash, must_enroll_mfa, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING user_id`,
      [record.userId, record.accountId, record.email, record.passwordHash, record.mustEnrollMfa, record.createdAt],
    );
    return rows.length === 1;
  }

  async loginByEmail(email: string): Promise<LoginRecord | undefined> {
    return login(
      (await this.#rows<LoginRow>('login_by_email', 'SELECT * FROM $schema.logins WHERE email = $1', [email]))[0],
    );
  }

  async loginByUser(userId: string): Promise<LoginRecord | undefined> {
    return login(
      (await this.#rows<LoginRow>('login_by_user', 'SELECT * FROM $schema.logins WHERE user_id = $1', [userId]))[0],
    );
  }

  async setMustEnrollMfa(userId: string, value: boolean): Promise<void> {
    await this.#rows('set_must_enroll', 'UPDATE $schema.logins SET must_enroll_mfa = $2 WHERE user_id = $1', [
      userId,
      value,
    ]);
  }

  async insertSession(session: SessionRecord): Promise<void> {
    await this.#rows(
      'insert_session',
      `INSERT INTO $schema.sessions (id_hash, user_id, created_at, last_seen_at, mfa_at, stage) VALUES ($1, $2, $3, $4, $5, $6)`,
      [session.idHash, session.userId, session.createdAt, session.lastSeenAt, session.mfaAt, session.stage],
      this.#lightPool,
    );
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = await this.#sessions.get(idHash);
    if (row === undefined) return undefined;
    return {
      idHash: row.id_hash,
      userId: row.user_id,
      createdAt: Number(row.created_at),
      lastSeenAt: Number(row.last_seen_at),
      mfaAt: row.mfa_at === null ? null : Number(row.mfa_at),
      stage: row.stage,
    };
  }

  async touchSession(idHash: string, at: number): Promise<void> {
    await this.#rows(
      'touch_session',
      'UPDATE $schema.sessions SET last_seen_at = $2 WHERE id_hash = $1',
      [idHash, at],
      this.#lightPool,
    );
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#rows('delete_session', 'DELETE FROM $schema.sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteExpiredSessions(idleBefore: number, createdBefore: number): Promise<number> {
    const rows = await this.#rows(
      'delete_expired_sessions',
      'DELETE FROM $schema.sessions WHERE last_seen_at < $1 OR created_at < $2 RETURNING id_hash',
      [idleBefore, createdBefore],
    );
    return rows.length;
  }

  hitRateLimit(key: string, windowStart: number): Promise<number> {
    return this.#hits.hit(key, windowStart);
  }

  async appendOutbox(message: Omit<OutboxMessage, 'id'>): Promise<void> {
    await this.#rows(
      'append_outbox',
      'INSERT INTO $schema.outbox (at, channel, recipient, subject, text) VALUES ($1, $2, $3, $4, $5)',
      [message.at, message.channel, message.to, message.subject, message.text],
    );
  }

  async listOutbox(limit: number): Promise<OutboxMessage[]> {
    const rows = await this.#rows<{
      id: string;
      at: string;
      channel: string;
      to: string;
      subject: string;
      text: string;
    }>(
      'list_outbox',
      'SELECT id, at, channel, recipient AS "to", subject, text FROM $schema.outbox ORDER BY id DESC LIMIT $1',
      [limit],
    );
    return rows.map((row) => ({ ...row, id: Number(row.id), at: Number(row.at) }));
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool.end(), this.#lightPool.end()]);
  }
}
