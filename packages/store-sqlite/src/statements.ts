/**
 * @module
 * Every statement the store runs, prepared once per connection. The compare-and-set statements
 * are single conditional statements (store.ts): SQLite runs each alone, and a second process
 * waits on the file's write lock, so of N racing writers over one expected state one changes a row.
 */
import type { Database, Statement } from 'better-sqlite3';
import { DEVICE_COLUMNS } from './rows.js';

const DEVICE_INSERT = `INSERT INTO devices (${DEVICE_COLUMNS.join(', ')}) VALUES (${DEVICE_COLUMNS.map((c) => `@${c}`).join(', ')})`;

const SQL = {
  accountInsert: 'INSERT INTO accounts (id, root_user_id, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
  accountGet: 'SELECT * FROM accounts WHERE id = ?',
  userInsert:
    'INSERT INTO users (id, account_id, name, email, phone, kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  userGet: 'SELECT * FROM users WHERE id = ?',
  userExists: 'SELECT 1 FROM users WHERE id = ?',
  userList: 'SELECT * FROM users ORDER BY created_at, id',
  userListByAccount: 'SELECT * FROM users WHERE account_id = ? ORDER BY created_at, id',

  deviceInsert: DEVICE_INSERT,
  deviceGet: 'SELECT * FROM devices WHERE id = ?',
  deviceList: 'SELECT * FROM devices ORDER BY created_at, id',
  deviceListByUser: 'SELECT * FROM devices WHERE user_id = ? ORDER BY created_at, id',
  deviceActivate: `UPDATE devices SET state = 'active', enabled_at = ?, last_accepted_step = ?, drift_steps = ?
    WHERE id = ? AND state = 'pending' AND kind <> 'security-key'`,
  // RFC 6238 §5.2: the replay guard's compare-and-set.
  deviceAdvanceStep: `UPDATE devices SET last_accepted_step = ?, drift_steps = ?, last_used_at = ?
    WHERE id = ? AND state = 'active' AND kind <> 'security-key' AND last_accepted_step < ?`,
  deviceAdvanceSignCount: `UPDATE devices SET sign_count = ?, last_used_at = ?
    WHERE id = ? AND state = 'active' AND kind = 'security-key' AND sign_count = ?`,
  deviceFlag: `UPDATE devices SET flagged_at = ? WHERE id = ? AND kind = 'security-key' AND flagged_at IS NULL`,
  deviceDeactivate: `UPDATE devices SET state = 'deactivated', deactivated_at = ? WHERE id = ? AND state <> 'deactivated'`,
  deviceDeleteExpired: `DELETE FROM devices WHERE user_id = ? AND state = 'pending' AND created_at < ?
    RETURNING id, created_at`,
  deviceReplaceSecret: `UPDATE devices SET encrypted_secret = ?, key_id = ?
    WHERE id = ? AND kind <> 'security-key' AND key_id = ?`,

  tokenInsert: `INSERT INTO tokens (serial, encrypted_secret, key_id, algorithm, digits, period, imported_at,
    assigned_user_id, assigned_device_id, assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  tokenExists: 'SELECT 1 FROM tokens WHERE serial = ?',
  tokenGet: 'SELECT * FROM tokens WHERE serial = ?',
  tokenList: 'SELECT * FROM tokens ORDER BY serial',
  tokenClaim: `UPDATE tokens SET assigned_user_id = ?, assigned_device_id = ?, assigned_at = ?
    WHERE serial = ? AND assigned_user_id IS NULL`,
  tokenReplaceSecret: 'UPDATE tokens SET encrypted_secret = ?, key_id = ? WHERE serial = ? AND key_id = ?',

  attemptGet: 'SELECT failure_count, last_failure_at, locked_at FROM attempts WHERE user_id = ? AND scope = ?',
  // From the zero state: insert, or overwrite a row that holds the zero state (never another).
  attemptFromZero: `INSERT INTO attempts (user_id, scope, failure_count, last_failure_at, locked_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (user_id, scope) DO UPDATE SET failure_count = excluded.failure_count,
      last_failure_at = excluded.last_failure_at, locked_at = excluded.locked_at
    WHERE failure_count = 0 AND last_failure_at IS NULL AND locked_at IS NULL`,
  // `IS` is SQLite's null-safe equality (IS NOT DISTINCT FROM).
  attemptCas: `UPDATE attempts SET failure_count = ?, last_failure_at = ?, locked_at = ?
    WHERE user_id = ? AND scope = ? AND failure_count = ? AND last_failure_at IS ? AND locked_at IS ?`,
  // Back to the zero state in place rather than DELETE: the next reservation (attemptFromZero)
  // then updates the row instead of inserting it again — one B-tree change per success, not two.
  attemptReset: `UPDATE attempts SET failure_count = 0, last_failure_at = NULL, locked_at = NULL
    WHERE user_id = ? AND scope = ?`,

  codeSetUpsert: `INSERT INTO recovery_code_sets (user_id, salt, created_at) VALUES (?, ?, ?)
    ON CONFLICT (user_id) DO UPDATE SET salt = excluded.salt, created_at = excluded.created_at`,
  codeSetGet: 'SELECT * FROM recovery_code_sets WHERE user_id = ?',
  codeSetDelete: 'DELETE FROM recovery_code_sets WHERE user_id = ?',
  codesDelete: 'DELETE FROM recovery_codes WHERE user_id = ?',
  codeInsert: 'INSERT INTO recovery_codes (user_id, code_index, hash, used_at) VALUES (?, ?, ?, ?)',
  codesGet: 'SELECT code_index, hash, used_at FROM recovery_codes WHERE user_id = ? ORDER BY code_index',
  codeConsume: `UPDATE recovery_codes SET used_at = ?
    WHERE user_id = ? AND code_index = ? AND used_at IS NULL AND hash = ?`,

  sessionInsert: `INSERT INTO recovery_sessions (id, user_id, salt, email_code_hash, phone_code_hash, created_at,
    expires_at, attempts, state, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  sessionGet: 'SELECT * FROM recovery_sessions WHERE id = ?',
  sessionListByUser: 'SELECT * FROM recovery_sessions WHERE user_id = ? AND created_at > ? ORDER BY created_at, id',
  sessionIncrement: 'UPDATE recovery_sessions SET attempts = attempts + 1 WHERE id = ? RETURNING attempts',
  sessionFinish: `UPDATE recovery_sessions SET state = ?, finished_at = ? WHERE id = ? AND state = 'open'`,

  challengeInsert:
    'INSERT INTO challenges (id, user_id, ceremony, created_at, expires_at, allowed_keys) VALUES (?, ?, ?, ?, ?, ?)',
  // WebAuthn §13.4.3: a challenge is used once — deleting it is taking it.
  challengeTake: 'DELETE FROM challenges WHERE id = ? RETURNING *',
  challengeDeleteExpired: 'DELETE FROM challenges WHERE user_id = ? AND expires_at <= ?',

  auditTip: 'SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1',
  auditInsert: `INSERT INTO audit (seq, at, event, actor, account_id, user_id, device_id, outcome, detail, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  auditList: 'SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?',
  auditListByAccount: 'SELECT * FROM audit WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?',
} as const;

export type Statements = { readonly [Name in keyof typeof SQL]: Statement };

export function prepareStatements(db: Database): Statements {
  const prepared: Record<string, Statement> = {};
  for (const [name, sql] of Object.entries(SQL)) prepared[name] = db.prepare(sql);
  return prepared as Statements;
}
