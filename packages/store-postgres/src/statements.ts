/**
 * @module
 * Every statement the store runs, for one schema, with a prepared-statement name each (the
 * server parses a statement once per connection). The compare-and-set statements are single
 * conditional statements (store.ts): under READ COMMITTED, PostgreSQL re-checks an UPDATE's
 * WHERE against the newest row version after waiting for a concurrent writer, so of N racing
 * writers over one expected state exactly one changes a row.
 */
import { createHash } from 'node:crypto';
import type { PgQueryConfig } from './client.js';
import { DEVICE_COLUMNS } from './rows.js';

/** The user's columns in users.getWithDevices, prefixed so they do not clash with the device's. */
const USER_COLUMNS = `u.id AS u_id, u.account_id AS u_account_id, u.name AS u_name, u.email AS u_email,
      u.phone AS u_phone, u.kind AS u_kind, u.created_at AS u_created_at`;

const SQL = {
  accountInsert:
    'INSERT INTO $S.accounts (id, root_user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
  accountGet: 'SELECT * FROM $S.accounts WHERE id = $1',
  userInsert: `INSERT INTO $S.users (id, account_id, name, email, phone, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (id) DO NOTHING`,
  userGet: 'SELECT * FROM $S.users WHERE id = $1',
  // The per-user lock of a transaction (lockUser): flows that read several rows of one user run one at a time.
  userLock: 'SELECT 1 FROM $S.users WHERE id = $1 FOR UPDATE',
  userList: 'SELECT * FROM $S.users ORDER BY created_at, id',
  // users.getWithDevices: the user's columns (prefixed) on every row, one row per device (one
  // row with null device columns when there is none).
  userGetWithDevices: `SELECT ${USER_COLUMNS}, false AS u_reserved, d.*
    FROM $S.users u LEFT JOIN $S.devices d ON d.user_id = u.id WHERE u.id = $1 ORDER BY d.created_at, d.id`,
  // The same read, and the attempt counter's compare-and-set from the zero state (attemptFromZero)
  // if the user exists. The insert's effect is not visible to the SELECT (one snapshot): it
  // reads users and devices only.
  userGetWithDevicesReserving: `WITH reserved AS (
      INSERT INTO $S.attempts AS a (user_id, scope, failure_count, last_failure_at, locked_at)
      SELECT $1, $2::text, $3::integer, $4::bigint, $5::bigint WHERE EXISTS (SELECT 1 FROM $S.users WHERE id = $1)
      ON CONFLICT (user_id, scope) DO UPDATE SET failure_count = excluded.failure_count,
        last_failure_at = excluded.last_failure_at, locked_at = excluded.locked_at
      WHERE a.failure_count = 0 AND a.last_failure_at IS NULL AND a.locked_at IS NULL
      RETURNING 1
    )
    SELECT ${USER_COLUMNS}, EXISTS (SELECT 1 FROM reserved) AS u_reserved, d.*
    FROM $S.users u LEFT JOIN $S.devices d ON d.user_id = u.id WHERE u.id = $1 ORDER BY d.created_at, d.id`,
  // A round of users.getWithDevices calls (round-batcher.ts), each with or without a reservation
  // (scope null: none): the same reads and compare-and-sets as the two statements above, one row
  // set per call numbered by b_n. A round holds one reservation per (user, scope): an INSERT …
  // ON CONFLICT DO UPDATE may change a row once per statement. Sorted by (user, scope) so that
  // two instances' rounds over the same users take the row locks in one order.
  userGetWithDevicesRound: `WITH input AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::bigint[])
        WITH ORDINALITY AS i(user_id, scope, failure_count, last_failure_at, locked_at, n)
    ), reserved AS (
      INSERT INTO $S.attempts AS a (user_id, scope, failure_count, last_failure_at, locked_at)
      SELECT i.user_id, i.scope, i.failure_count, i.last_failure_at, i.locked_at FROM input i
      WHERE i.scope IS NOT NULL AND EXISTS (SELECT 1 FROM $S.users WHERE id = i.user_id)
      ORDER BY i.user_id, i.scope
      ON CONFLICT (user_id, scope) DO UPDATE SET failure_count = excluded.failure_count,
        last_failure_at = excluded.last_failure_at, locked_at = excluded.locked_at
      WHERE a.failure_count = 0 AND a.last_failure_at IS NULL AND a.locked_at IS NULL
      RETURNING a.user_id, a.scope
    )
    SELECT i.n AS b_n, ${USER_COLUMNS},
      EXISTS (SELECT 1 FROM reserved r WHERE r.user_id = i.user_id AND r.scope = i.scope) AS u_reserved, d.*
    FROM input i JOIN $S.users u ON u.id = i.user_id LEFT JOIN $S.devices d ON d.user_id = u.id
    ORDER BY i.n, d.created_at, d.id`,
  userListByAccount: 'SELECT * FROM $S.users WHERE account_id = $1 ORDER BY created_at, id',

  deviceInsert: `INSERT INTO $S.devices (${DEVICE_COLUMNS.join(', ')}) VALUES (${DEVICE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
  deviceGet: 'SELECT * FROM $S.devices WHERE id = $1',
  deviceList: 'SELECT * FROM $S.devices ORDER BY created_at, id',
  deviceListByUser: 'SELECT * FROM $S.devices WHERE user_id = $1 ORDER BY created_at, id',
  deviceActivate: `UPDATE $S.devices SET state = 'active', enabled_at = $1, last_accepted_step = $2, drift_steps = $3
    WHERE id = $4 AND state = 'pending' AND kind <> 'security-key'`,
  // RFC 6238 §5.2: the replay guard's compare-and-set.
  deviceAdvanceStep: `UPDATE $S.devices SET last_accepted_step = $1, drift_steps = $2, last_used_at = $3
    WHERE id = $4 AND state = 'active' AND kind <> 'security-key' AND last_accepted_step < $1`,
  // devices.acceptStep: the same compare-and-set and, iff it changed the row, the attempt
  // counter back to zero — one statement, so both commit or neither.
  deviceAcceptStep: `WITH advanced AS (
      UPDATE $S.devices SET last_accepted_step = $1, drift_steps = $2, last_used_at = $3
      WHERE id = $4 AND state = 'active' AND kind <> 'security-key' AND last_accepted_step < $1 RETURNING 1
    ), reset AS (
      UPDATE $S.attempts SET failure_count = 0, last_failure_at = NULL, locked_at = NULL
      WHERE user_id = $5 AND scope = $6 AND EXISTS (SELECT 1 FROM advanced)
    )
    SELECT count(*)::int AS advanced FROM advanced`,
  // A round of devices.acceptStep calls (round-batcher.ts; one call per device in a round): the
  // same compare-and-set per device and, for each device it advanced, that call's attempt counter
  // back to zero; returns the numbers (b_n) of the calls that advanced.
  deviceAcceptStepRound: `WITH input AS (
      SELECT * FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::text[], $5::text[], $6::text[])
        WITH ORDINALITY AS i(step, drift_steps, at, device_id, user_id, scope, n)
    ), advanced AS (
      UPDATE $S.devices d SET last_accepted_step = i.step, drift_steps = i.drift_steps, last_used_at = i.at
      FROM input i
      WHERE d.id = i.device_id AND d.state = 'active' AND d.kind <> 'security-key' AND d.last_accepted_step < i.step
      RETURNING i.n, i.user_id, i.scope
    ), reset AS (
      UPDATE $S.attempts a SET failure_count = 0, last_failure_at = NULL, locked_at = NULL
      FROM advanced v WHERE a.user_id = v.user_id AND a.scope = v.scope
    )
    SELECT n AS b_n FROM advanced`,
  deviceAdvanceSignCount: `UPDATE $S.devices SET sign_count = $1, last_used_at = $2
    WHERE id = $3 AND state = 'active' AND kind = 'security-key' AND sign_count = $4`,
  deviceFlag: `UPDATE $S.devices SET flagged_at = $1 WHERE id = $2 AND kind = 'security-key' AND flagged_at IS NULL`,
  deviceDeactivate: `UPDATE $S.devices SET state = 'deactivated', deactivated_at = $1 WHERE id = $2 AND state <> 'deactivated'`,
  deviceDeleteExpired: `DELETE FROM $S.devices WHERE user_id = $1 AND state = 'pending' AND created_at < $2
    RETURNING id, created_at`,
  deviceReplaceSecret: `UPDATE $S.devices SET encrypted_secret = $1, key_id = $2
    WHERE id = $3 AND kind <> 'security-key' AND key_id = $4`,

  tokenInsert: `INSERT INTO $S.tokens (serial, encrypted_secret, key_id, algorithm, digits, period, imported_at,
    assigned_user_id, assigned_device_id, assigned_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (serial) DO NOTHING`,
  tokenGet: 'SELECT * FROM $S.tokens WHERE serial = $1',
  tokenList: 'SELECT * FROM $S.tokens ORDER BY serial',
  tokenClaim: `UPDATE $S.tokens SET assigned_user_id = $1, assigned_device_id = $2, assigned_at = $3
    WHERE serial = $4 AND assigned_user_id IS NULL`,
  tokenReplaceSecret: 'UPDATE $S.tokens SET encrypted_secret = $1, key_id = $2 WHERE serial = $3 AND key_id = $4',

  attemptGet: 'SELECT failure_count, last_failure_at, locked_at FROM $S.attempts WHERE user_id = $1 AND scope = $2',
  // From the zero state: insert, or overwrite a row that holds the zero state (never another).
  attemptFromZero: `INSERT INTO $S.attempts AS a (user_id, scope, failure_count, last_failure_at, locked_at)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (user_id, scope) DO UPDATE SET failure_count = excluded.failure_count,
      last_failure_at = excluded.last_failure_at, locked_at = excluded.locked_at
    WHERE a.failure_count = 0 AND a.last_failure_at IS NULL AND a.locked_at IS NULL`,
  attemptCas: `UPDATE $S.attempts SET failure_count = $1, last_failure_at = $2, locked_at = $3
    WHERE user_id = $4 AND scope = $5 AND failure_count = $6
      AND last_failure_at IS NOT DISTINCT FROM $7::bigint AND locked_at IS NOT DISTINCT FROM $8::bigint`,
  // A round of attempts.get calls (round-batcher.ts): one row per call, numbered b_n; `present`
  // false where the user has no row (the zero state).
  attemptGetRound: `SELECT i.n AS b_n, a.user_id IS NOT NULL AS present, a.failure_count, a.last_failure_at, a.locked_at
    FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS i(user_id, scope, n)
    LEFT JOIN $S.attempts a ON a.user_id = i.user_id AND a.scope = i.scope`,
  // A round of attempts.compareAndSet calls (one per user and scope in a round): attemptCas for
  // the calls expecting a non-zero state, attemptFromZero (in key order) for the others; returns
  // the numbers (b_n) of the calls that wrote.
  attemptCasRound: `WITH input AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::bigint[], $6::integer[],
        $7::bigint[], $8::bigint[], $9::boolean[])
        WITH ORDINALITY AS i(user_id, scope, failure_count, last_failure_at, locked_at, next_count, next_last,
          next_locked, from_zero, n)
    ), changed AS (
      UPDATE $S.attempts a SET failure_count = i.next_count, last_failure_at = i.next_last, locked_at = i.next_locked
      FROM input i
      WHERE NOT i.from_zero AND a.user_id = i.user_id AND a.scope = i.scope AND a.failure_count = i.failure_count
        AND a.last_failure_at IS NOT DISTINCT FROM i.last_failure_at AND a.locked_at IS NOT DISTINCT FROM i.locked_at
      RETURNING i.n
    ), inserted AS (
      INSERT INTO $S.attempts AS a (user_id, scope, failure_count, last_failure_at, locked_at)
      SELECT i.user_id, i.scope, i.next_count, i.next_last, i.next_locked FROM input i WHERE i.from_zero
      ORDER BY i.user_id, i.scope
      ON CONFLICT (user_id, scope) DO UPDATE SET failure_count = excluded.failure_count,
        last_failure_at = excluded.last_failure_at, locked_at = excluded.locked_at
      WHERE a.failure_count = 0 AND a.last_failure_at IS NULL AND a.locked_at IS NULL
      RETURNING a.user_id, a.scope
    )
    SELECT n AS b_n FROM changed
    UNION ALL
    SELECT i.n FROM inserted x JOIN input i ON i.from_zero AND i.user_id = x.user_id AND i.scope = x.scope`,
  // Back to the zero state in place rather than DELETE: the next reservation (attemptFromZero)
  // updates the row (a HOT update: no index entry) instead of inserting it again.
  attemptReset: `UPDATE $S.attempts SET failure_count = 0, last_failure_at = NULL, locked_at = NULL
    WHERE user_id = $1 AND scope = $2`,

  codeSetUpsert: `INSERT INTO $S.recovery_code_sets (user_id, salt, created_at) VALUES ($1, $2, $3)
    ON CONFLICT (user_id) DO UPDATE SET salt = excluded.salt, created_at = excluded.created_at`,
  codeSetGet: 'SELECT * FROM $S.recovery_code_sets WHERE user_id = $1',
  codeSetDelete: 'DELETE FROM $S.recovery_code_sets WHERE user_id = $1',
  codesDelete: 'DELETE FROM $S.recovery_codes WHERE user_id = $1',
  codeInsert: 'INSERT INTO $S.recovery_codes (user_id, code_index, hash, used_at) VALUES ($1, $2, $3, $4)',
  codesGet: 'SELECT code_index, hash, used_at FROM $S.recovery_codes WHERE user_id = $1 ORDER BY code_index',
  codeConsume: `UPDATE $S.recovery_codes SET used_at = $1
    WHERE user_id = $2 AND code_index = $3 AND used_at IS NULL AND hash = $4`,

  sessionInsert: `INSERT INTO $S.recovery_sessions (id, user_id, salt, email_code_hash, phone_code_hash, created_at,
    expires_at, attempts, state, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  sessionGet: 'SELECT * FROM $S.recovery_sessions WHERE id = $1',
  sessionListByUser:
    'SELECT * FROM $S.recovery_sessions WHERE user_id = $1 AND created_at > $2 ORDER BY created_at, id',
  sessionIncrement: 'UPDATE $S.recovery_sessions SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts',
  sessionFinish: `UPDATE $S.recovery_sessions SET state = $1, finished_at = $2 WHERE id = $3 AND state = 'open'`,

  challengeInsert: `INSERT INTO $S.challenges (id, user_id, ceremony, created_at, expires_at, allowed_keys)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  // WebAuthn §13.4.3: a challenge is used once — deleting it is taking it.
  challengeTake: 'DELETE FROM $S.challenges WHERE id = $1 RETURNING *',
  challengeDeleteExpired: 'DELETE FROM $S.challenges WHERE user_id = $1 AND expires_at <= $2',

  auditTip: 'SELECT seq, hash FROM $S.audit ORDER BY seq DESC LIMIT 1',
  // A unique seq: a concurrent append that took this seq first makes this one insert nothing (and retry).
  auditInsert: `INSERT INTO $S.audit (seq, at, event, actor, account_id, user_id, device_id, outcome, detail, prev_hash, hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (seq) DO NOTHING`,
  // The appender's round in one statement (schema.ts, migration 2).
  auditAppendSealed: `SELECT r_seq, r_prev_hash, r_hash FROM $S.audit_append($1::text, $2::bigint[], $3::text[],
    $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
  auditList: 'SELECT * FROM $S.audit WHERE seq > $1 ORDER BY seq LIMIT $2',
  auditListByAccount: 'SELECT * FROM $S.audit WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
} as const;

export type StatementName = keyof typeof SQL;

/** A statement ready to run: `query(statement(values))`. */
export type Statements = { readonly [Name in StatementName]: (values: unknown[]) => PgQueryConfig };

/** `"schema"`, quoted for SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The key of the schema's audit chain lock (`pg_advisory_xact_lock(hashtext(key))`). */
export function auditLockKey(schema: string): string {
  return `mfakit-audit:${schema}`;
}

/** Takes the schema's audit chain lock until the transaction ends (the schema is a checked identifier). */
export function auditLockStatement(schema: string): string {
  return `SELECT pg_advisory_xact_lock(hashtext('${auditLockKey(schema)}'))`;
}

export function prepareStatements(schema: string): Statements {
  // Prepared-statement names are per connection: the schema's hash keeps two stores on one pool apart.
  const tag = createHash('sha256').update(schema).digest('hex').slice(0, 8);
  const quoted = quoteIdentifier(schema);
  const statements: Record<string, (values: unknown[]) => PgQueryConfig> = {};
  for (const [name, sql] of Object.entries(SQL)) {
    const text = sql.replaceAll('$S', () => quoted);
    const statementName = `mfakit_${tag}_${name}`;
    statements[name] = (values) => ({ name: statementName, text, values });
  }
  return statements as Statements;
}
