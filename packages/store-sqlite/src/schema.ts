/**
 * @module
 * The SQLite schema as numbered migrations. A migration is never edited once released: a
 * change is a new entry. Tables are STRICT (SQLite ≥ 3.37: a value of the wrong type is an
 * error, not silently stored). Every index names the query it serves; a query without one is a
 * full scan on a growing table.
 *
 * There are no foreign keys between tables: the store contract lets a device, an attempt row or
 * a recovery code set name a user the store has not seen (the conformance suite does), and the
 * registry checks existence itself inside its transactions.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** `PRAGMA application_id` of an mfakit registry database ("mfk1"): tells our file from another application's. */
export const APPLICATION_ID = 0x6d666b31;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'registry tables',
    sql: `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  root_user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('root', 'member')),
  created_at INTEGER NOT NULL
) STRICT;
-- users.list(): every user by creation time (the credential report).
CREATE INDEX users_by_creation ON users (created_at, id);
-- users.list({ accountId }): one account's users by creation time (listUsers, the account's report).
CREATE INDEX users_by_account ON users (account_id, created_at, id);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('virtual', 'hardware', 'security-key')),
  name TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'deactivated')),
  created_at INTEGER NOT NULL,
  enabled_at INTEGER,
  deactivated_at INTEGER,
  last_used_at INTEGER,
  -- OTP devices (kind virtual or hardware)
  encrypted_secret BLOB,
  key_id TEXT,
  algorithm TEXT,
  digits INTEGER,
  period INTEGER,
  last_accepted_step INTEGER,
  drift_steps INTEGER,
  serial TEXT,
  -- security keys
  credential_id BLOB,
  public_key BLOB,
  public_key_format TEXT,
  sign_count INTEGER,
  transports TEXT,
  aaguid TEXT,
  attestation_format TEXT,
  flagged_at INTEGER,
  CHECK (kind = 'security-key' OR (encrypted_secret IS NOT NULL AND key_id IS NOT NULL AND algorithm IS NOT NULL
    AND digits IS NOT NULL AND period IS NOT NULL AND last_accepted_step IS NOT NULL AND drift_steps IS NOT NULL)),
  CHECK (kind <> 'security-key' OR (credential_id IS NOT NULL AND public_key IS NOT NULL
    AND public_key_format IS NOT NULL AND sign_count IS NOT NULL AND transports IS NOT NULL
    AND attestation_format IS NOT NULL))
) STRICT;
-- devices.list({ userId }) on every sign-in, and deleteExpiredPending(userId, …) on every enrollment.
CREATE INDEX devices_by_user ON devices (user_id, created_at, id);
-- devices.list(): all devices by creation time (key rotation, the credential report).
CREATE INDEX devices_by_creation ON devices (created_at, id);

CREATE TABLE tokens (
  serial TEXT PRIMARY KEY,
  encrypted_secret BLOB NOT NULL,
  key_id TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  digits INTEGER NOT NULL,
  period INTEGER NOT NULL,
  imported_at INTEGER NOT NULL,
  assigned_user_id TEXT,
  assigned_device_id TEXT,
  assigned_at INTEGER
) STRICT;
-- (tokens.list() is ordered by serial: the primary key serves it.)

CREATE TABLE attempts (
  user_id TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('otp', 'recovery_code')),
  failure_count INTEGER NOT NULL,
  last_failure_at INTEGER,
  locked_at INTEGER,
  PRIMARY KEY (user_id, scope)
) STRICT, WITHOUT ROWID;

CREATE TABLE recovery_code_sets (
  user_id TEXT PRIMARY KEY,
  salt BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL,
  code_index INTEGER NOT NULL,
  hash BLOB NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, code_index)
) STRICT, WITHOUT ROWID;

CREATE TABLE recovery_sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  salt BLOB NOT NULL,
  email_code_hash BLOB NOT NULL,
  phone_code_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'completed', 'failed', 'superseded')),
  finished_at INTEGER
) STRICT;
-- recoverySessions.listByUser(userId, createdAfter): the start limit and completion read a user's recent sessions.
CREATE INDEX recovery_sessions_by_user ON recovery_sessions (user_id, created_at, id);

CREATE TABLE challenges (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  ceremony TEXT NOT NULL CHECK (ceremony IN ('registration', 'authentication')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
-- challenges.deleteExpired(userId, at): every WebAuthn ceremony purges the user's expired challenges.
CREATE INDEX challenges_by_user ON challenges (user_id, expires_at);

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  event TEXT NOT NULL,
  actor TEXT NOT NULL,
  account_id TEXT,
  user_id TEXT,
  device_id TEXT,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
-- (audit.list({ afterSeq }) and the tip read on every append use the primary key: seq is the rowid.)
-- audit.list({ accountId, afterSeq }): one account's log (listAudit per account).
CREATE INDEX audit_by_account ON audit (account_id, seq);
`,
  },
  {
    version: 2,
    name: 'challenge allowed keys',
    // The keys a sign-in challenge allows, with each one's sign counter when it was issued
    // (ChallengeRecord.allowedKeys), as JSON text. A challenge issued before this migration
    // allows no key: a sign-in begun across the upgrade is refused and begun again.
    sql: `
ALTER TABLE challenges ADD COLUMN allowed_keys TEXT NOT NULL DEFAULT '[]';
`,
  },
];

/**
 * The newest schema version this code knows (the last migration's number), exported as
 * `SQLITE_SCHEMA_VERSION`. `SqliteRegistryStore.open` migrates a database up to it (or, with
 * `migrate: false`, refuses one below it: `schema_outdated`) and refuses one above it
 * (`schema_too_new`).
 */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
