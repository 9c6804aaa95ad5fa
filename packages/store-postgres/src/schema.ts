/**
 * @module
 * The PostgreSQL schema as numbered migrations, written for one schema (`public` by default):
 * `$S` stands for the quoted schema name. A migration is never edited once released: a change
 * is a new entry. Times are BIGINT milliseconds; ids are `text COLLATE "C"` so that ordering by
 * id is by code unit, as the registry's memory store orders, whatever the database's locale.
 * Every index names the query it serves.
 *
 * No foreign keys between tables: the store contract lets a device, an attempt row or a
 * recovery code set name a user the store has not seen, and the registry checks existence
 * itself inside its transactions.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The comment on `schema_migrations` that tells our schema from another application's. */
export const MIGRATIONS_MARKER = 'mfakit registry store';

const ID = 'text COLLATE "C"';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'registry tables',
    sql: `
CREATE TABLE $S.accounts (
  id ${ID} PRIMARY KEY,
  root_user_id ${ID} NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE $S.users (
  id ${ID} PRIMARY KEY,
  account_id ${ID} NOT NULL,
  name text NOT NULL,
  email text NOT NULL,
  phone text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('root', 'member')),
  created_at bigint NOT NULL
);
-- users.list(): every user by creation time (the credential report).
CREATE INDEX users_by_creation ON $S.users (created_at, id);
-- users.list({ accountId }): one account's users by creation time (listUsers, the account's report).
CREATE INDEX users_by_account ON $S.users (account_id, created_at, id);

CREATE TABLE $S.devices (
  id ${ID} PRIMARY KEY,
  user_id ${ID} NOT NULL,
  kind text NOT NULL CHECK (kind IN ('virtual', 'hardware', 'security-key')),
  name text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'active', 'deactivated')),
  created_at bigint NOT NULL,
  enabled_at bigint,
  deactivated_at bigint,
  last_used_at bigint,
  encrypted_secret bytea,
  key_id text,
  algorithm text,
  digits integer,
  period integer,
  last_accepted_step bigint,
  drift_steps integer,
  serial text,
  credential_id bytea,
  public_key bytea,
  public_key_format text,
  sign_count bigint,
  transports text,
  aaguid text,
  attestation_format text,
  flagged_at bigint,
  CHECK (kind = 'security-key' OR (encrypted_secret IS NOT NULL AND key_id IS NOT NULL AND algorithm IS NOT NULL
    AND digits IS NOT NULL AND period IS NOT NULL AND last_accepted_step IS NOT NULL AND drift_steps IS NOT NULL)),
  CHECK (kind <> 'security-key' OR (credential_id IS NOT NULL AND public_key IS NOT NULL
    AND public_key_format IS NOT NULL AND sign_count IS NOT NULL AND transports IS NOT NULL
    AND attestation_format IS NOT NULL))
);
-- devices.list({ userId }) on every sign-in, and deleteExpiredPending(userId, …) on every enrollment.
CREATE INDEX devices_by_user ON $S.devices (user_id, created_at, id);
-- devices.list(): all devices by creation time (key rotation, the credential report).
CREATE INDEX devices_by_creation ON $S.devices (created_at, id);

CREATE TABLE $S.tokens (
  serial ${ID} PRIMARY KEY,
  encrypted_secret bytea NOT NULL,
  key_id text NOT NULL,
  algorithm text NOT NULL,
  digits integer NOT NULL,
  period integer NOT NULL,
  imported_at bigint NOT NULL,
  assigned_user_id ${ID},
  assigned_device_id ${ID},
  assigned_at bigint
);
-- (tokens.list() is ordered by serial: the primary key serves it.)

CREATE TABLE $S.attempts (
  user_id ${ID} NOT NULL,
  scope text NOT NULL CHECK (scope IN ('otp', 'recovery_code')),
  failure_count integer NOT NULL,
  last_failure_at bigint,
  locked_at bigint,
  PRIMARY KEY (user_id, scope)
);

CREATE TABLE $S.recovery_code_sets (
  user_id ${ID} PRIMARY KEY,
  salt bytea NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE $S.recovery_codes (
  user_id ${ID} NOT NULL,
  code_index integer NOT NULL,
  hash bytea NOT NULL,
  used_at bigint,
  PRIMARY KEY (user_id, code_index)
);

CREATE TABLE $S.recovery_sessions (
  id ${ID} PRIMARY KEY,
  user_id ${ID} NOT NULL,
  salt bytea NOT NULL,
  email_code_hash bytea NOT NULL,
  phone_code_hash bytea NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  attempts integer NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'completed', 'failed', 'superseded')),
  finished_at bigint
);
-- recoverySessions.listByUser(userId, createdAfter): the start limit and completion read a user's recent sessions.
CREATE INDEX recovery_sessions_by_user ON $S.recovery_sessions (user_id, created_at, id);

CREATE TABLE $S.challenges (
  id ${ID} PRIMARY KEY,
  user_id ${ID} NOT NULL,
  ceremony text NOT NULL CHECK (ceremony IN ('registration', 'authentication')),
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
-- challenges.deleteExpired(userId, at): every WebAuthn ceremony purges the user's expired challenges.
CREATE INDEX challenges_by_user ON $S.challenges (user_id, expires_at);

CREATE TABLE $S.audit (
  seq bigint PRIMARY KEY,
  at bigint NOT NULL,
  event text NOT NULL,
  actor text NOT NULL,
  account_id ${ID},
  user_id ${ID},
  device_id ${ID},
  outcome text NOT NULL,
  detail text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
-- (The tip read on every append and audit.list({ afterSeq }) use the primary key on seq.)
-- audit.list({ accountId, afterSeq }): one account's log (listAudit per account).
CREATE INDEX audit_by_account ON $S.audit (account_id, seq);
`,
  },
  {
    version: 2,
    name: 'audit appends sealed in one statement',
    // The batched appender's round in one statement (audit-appender.ts): take the chain's lock,
    // read the tip, seal and insert each record after it, return what was sealed. The lock is
    // held inside the server for the statement, not across round trips. VOLATILE (the default):
    // under READ COMMITTED the tip read takes a snapshot after the lock is granted. The hashed
    // text comes split around prevHash and seq (auditHashParts in @mfakit/registry), and the
    // appender checks every returned hash with sealAuditRecord.
    sql: `
CREATE FUNCTION $S.audit_append(lock_key text, ats bigint[], events text[], actors text[], account_ids text[],
    user_ids text[], device_ids text[], outcomes text[], details text[], prefixes text[], infixes text[],
    suffixes text[])
  RETURNS TABLE (r_seq bigint, r_prev_hash text, r_hash text)
  LANGUAGE plpgsql AS $fn$
DECLARE
  tip_seq bigint;
  tip_hash text;
  next_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(lock_key));
  SELECT a.seq, a.hash INTO tip_seq, tip_hash FROM $S.audit a ORDER BY a.seq DESC LIMIT 1;
  IF NOT FOUND THEN
    tip_seq := 0;
    tip_hash := repeat('0', 64);
  END IF;
  FOR i IN 1 .. coalesce(array_length(ats, 1), 0) LOOP
    next_hash := encode(sha256(convert_to(prefixes[i] || tip_hash || infixes[i] || (tip_seq + 1)::text || suffixes[i],
      'UTF8')), 'hex');
    INSERT INTO $S.audit (seq, at, event, actor, account_id, user_id, device_id, outcome, detail, prev_hash, hash)
      VALUES (tip_seq + 1, ats[i], events[i], actors[i], account_ids[i], user_ids[i], device_ids[i], outcomes[i],
        details[i], tip_hash, next_hash);
    r_seq := tip_seq + 1;
    r_prev_hash := tip_hash;
    r_hash := next_hash;
    RETURN NEXT;
    tip_seq := tip_seq + 1;
    tip_hash := next_hash;
  END LOOP;
END
$fn$;
`,
  },
  {
    version: 3,
    name: 'challenge allowed keys',
    // The keys a sign-in challenge allows, with each one's sign counter when it was issued
    // (ChallengeRecord.allowedKeys), as JSON text. A challenge issued before this migration
    // allows no key: a sign-in begun across the upgrade is refused and begun again.
    sql: `
ALTER TABLE $S.challenges ADD COLUMN allowed_keys text NOT NULL DEFAULT '[]';
`,
  },
];

/**
 * The newest schema version this code knows (the last migration's number), exported as
 * `POSTGRES_SCHEMA_VERSION`. `PostgresRegistryStore.connect` migrates a schema up to it (or, with
 * `migrate: false`, refuses one below it: `schema_outdated`) and refuses one above it
 * (`schema_too_new`).
 */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
