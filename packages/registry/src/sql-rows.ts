/**
 * @module
 * Rows ↔ records for SQL stores, shared by @mfakit/store-sqlite and @mfakit/store-postgres (and
 * any other SQL store): the snake_case column of each record field, and conversions that copy
 * every value into a fresh record (BLOBs into a plain `Uint8Array`, not the driver's `Buffer`), so a
 * caller editing a record cannot reach the store. Exported by `@mfakit/registry/store`.
 */

import { canonicalJson } from './canonical-json.js';
import type {
  AllowedKey,
  AttemptScope,
  AttemptState,
  AuditDetail,
  AuditRecord,
  ChallengeRecord,
  DeviceRecord,
  HardwareTokenRecord,
  RecoverySessionRecord,
  UserRecord,
} from './model.js';

/** A row as a driver returns it: column name → value. */
export type Row = Record<string, unknown>;

/** A BLOB/bytea value as a plain `Uint8Array` copy. */
export const bytes = (value: unknown): Uint8Array => new Uint8Array(value as Uint8Array);
const text = (value: unknown) => value as string;
// Numbers may arrive as numbers (SQLite) or as strings (pg's bigint: it does not guess at
// precision); every value here is below 2^53.
/** A number column (pg returns bigint as text). */
export const num = (value: unknown) => Number(value);
/** A nullable number column. */
export const maybeNum = (value: unknown) => (value === null ? null : Number(value));
const maybeText = (value: unknown) => (value === null ? null : (value as string));

/** A users row as a record. */
export function toUser(row: Row): UserRecord {
  return {
    id: text(row.id),
    accountId: text(row.account_id),
    name: text(row.name),
    email: text(row.email),
    phone: text(row.phone),
    kind: row.kind as UserRecord['kind'],
    createdAt: num(row.created_at),
  };
}

/**
 * A devices row as a record (OTP device or security key, by `kind`). Each kind is one object
 * literal (no spread of a shared base): a sign-in reads every device of its user.
 */
export function toDevice(row: Row): DeviceRecord {
  if (row.kind === 'security-key') {
    return {
      id: text(row.id),
      userId: text(row.user_id),
      name: text(row.name),
      state: row.state as DeviceRecord['state'],
      createdAt: num(row.created_at),
      enabledAt: maybeNum(row.enabled_at),
      deactivatedAt: maybeNum(row.deactivated_at),
      lastUsedAt: maybeNum(row.last_used_at),
      kind: 'security-key',
      credentialId: bytes(row.credential_id),
      publicKey: bytes(row.public_key),
      publicKeyFormat: row.public_key_format as 'cose' | 'raw-p256',
      signCount: num(row.sign_count),
      transports: text(row.transports),
      aaguid: maybeText(row.aaguid),
      attestationFormat: text(row.attestation_format),
      flaggedAt: maybeNum(row.flagged_at),
    };
  }
  return {
    id: text(row.id),
    userId: text(row.user_id),
    name: text(row.name),
    state: row.state as DeviceRecord['state'],
    createdAt: num(row.created_at),
    enabledAt: maybeNum(row.enabled_at),
    deactivatedAt: maybeNum(row.deactivated_at),
    lastUsedAt: maybeNum(row.last_used_at),
    kind: row.kind as 'virtual' | 'hardware',
    encryptedSecret: bytes(row.encrypted_secret),
    keyId: text(row.key_id),
    algorithm: row.algorithm as 'SHA1' | 'SHA256' | 'SHA512',
    digits: num(row.digits),
    period: num(row.period),
    lastAcceptedStep: num(row.last_accepted_step),
    driftSteps: num(row.drift_steps),
    serial: maybeText(row.serial),
  };
}

/** A device as named parameters of the insert (the other kind's columns null). */
export function deviceParams(device: DeviceRecord): Row {
  const otp = device.kind !== 'security-key';
  return {
    id: device.id,
    user_id: device.userId,
    kind: device.kind,
    name: device.name,
    state: device.state,
    created_at: device.createdAt,
    enabled_at: device.enabledAt,
    deactivated_at: device.deactivatedAt,
    last_used_at: device.lastUsedAt,
    encrypted_secret: otp ? device.encryptedSecret : null,
    key_id: otp ? device.keyId : null,
    algorithm: otp ? device.algorithm : null,
    digits: otp ? device.digits : null,
    period: otp ? device.period : null,
    last_accepted_step: otp ? device.lastAcceptedStep : null,
    drift_steps: otp ? device.driftSteps : null,
    serial: otp ? device.serial : null,
    credential_id: otp ? null : device.credentialId,
    public_key: otp ? null : device.publicKey,
    public_key_format: otp ? null : device.publicKeyFormat,
    sign_count: otp ? null : device.signCount,
    transports: otp ? null : device.transports,
    aaguid: otp ? null : device.aaguid,
    attestation_format: otp ? null : device.attestationFormat,
    flagged_at: otp ? null : device.flaggedAt,
  };
}

/** The devices table's columns, in `deviceParams` order. */
export const DEVICE_COLUMNS = Object.keys(deviceParams({ kind: 'virtual' } as DeviceRecord));

/** A tokens row as a record. */
export function toToken(row: Row): HardwareTokenRecord {
  return {
    serial: text(row.serial),
    encryptedSecret: bytes(row.encrypted_secret),
    keyId: text(row.key_id),
    algorithm: row.algorithm as HardwareTokenRecord['algorithm'],
    digits: num(row.digits),
    period: num(row.period),
    importedAt: num(row.imported_at),
    assignedUserId: maybeText(row.assigned_user_id),
    assignedDeviceId: maybeText(row.assigned_device_id),
    assignedAt: maybeNum(row.assigned_at),
  };
}

/**
 * A hardware token's insert parameters, in the order of the stores' `tokenInsert` statements:
 * serial, encrypted_secret, key_id, algorithm, digits, period, imported_at, assigned_user_id,
 * assigned_device_id, assigned_at.
 */
export function tokenParams(t: HardwareTokenRecord): unknown[] {
  return [
    t.serial,
    t.encryptedSecret,
    t.keyId,
    t.algorithm,
    t.digits,
    t.period,
    t.importedAt,
    t.assignedUserId,
    t.assignedDeviceId,
    t.assignedAt,
  ];
}

/**
 * `attempts.compareAndSet` as the SQL stores run it: `fromZero` (the expected state is the zero
 * state: insert, or overwrite a row still at zero — the stores' `attemptFromZero`, parameters user,
 * scope, next count, next last failure, next lock) or else the stores' `attemptCas` (parameters
 * next count, next last failure, next lock, user, scope, expected count, expected last failure,
 * expected lock).
 */
export function attemptCasParams(
  expected: AttemptState,
  next: Pick<AttemptState, 'failureCount' | 'lastFailureAt' | 'lockedAt'>,
): { fromZero: boolean; params: unknown[] } {
  const fromZero = expected.failureCount === 0 && expected.lastFailureAt === null && expected.lockedAt === null;
  return fromZero
    ? { fromZero, params: [expected.userId, expected.scope, next.failureCount, next.lastFailureAt, next.lockedAt] }
    : {
        fromZero,
        params: [
          next.failureCount,
          next.lastFailureAt,
          next.lockedAt,
          expected.userId,
          expected.scope,
          expected.failureCount,
          expected.lastFailureAt,
          expected.lockedAt,
        ],
      };
}

/** An attempts row as a record, or the zero state for no row. */
export function toAttempts(userId: string, scope: AttemptScope, row: Row | undefined): AttemptState {
  return {
    userId,
    scope,
    failureCount: row === undefined ? 0 : num(row.failure_count),
    lastFailureAt: row === undefined ? null : maybeNum(row.last_failure_at),
    lockedAt: row === undefined ? null : maybeNum(row.locked_at),
  };
}

/** A recovery_sessions row as a record. */
export function toSession(row: Row): RecoverySessionRecord {
  return {
    id: text(row.id),
    userId: text(row.user_id),
    salt: bytes(row.salt),
    emailCodeHash: bytes(row.email_code_hash),
    phoneCodeHash: bytes(row.phone_code_hash),
    createdAt: num(row.created_at),
    expiresAt: num(row.expires_at),
    attempts: num(row.attempts),
    state: row.state as RecoverySessionRecord['state'],
    finishedAt: maybeNum(row.finished_at),
  };
}

/** An audit row as a record (`detail` from its canonical JSON text). */
export function toAudit(row: Row): AuditRecord {
  return {
    seq: num(row.seq),
    at: num(row.at),
    event: text(row.event),
    actor: text(row.actor),
    accountId: maybeText(row.account_id),
    userId: maybeText(row.user_id),
    deviceId: maybeText(row.device_id),
    outcome: row.outcome as AuditRecord['outcome'],
    // Stored as canonical JSON text: JSON.parse gives back exactly the scalars that were hashed.
    detail: JSON.parse(text(row.detail)) as AuditDetail,
    prevHash: text(row.prev_hash),
    hash: text(row.hash),
  };
}

/** The audit table's columns, in `auditParams` order. */
export const AUDIT_COLUMNS = [
  'seq',
  'at',
  'event',
  'actor',
  'account_id',
  'user_id',
  'device_id',
  'outcome',
  'detail',
  'prev_hash',
  'hash',
] as const;

/** A sealed audit record as the insert's values, in `AUDIT_COLUMNS` order (`detail` as canonical JSON text). */
export function auditParams(record: AuditRecord): unknown[] {
  return [
    record.seq,
    record.at,
    record.event,
    record.actor,
    record.accountId,
    record.userId,
    record.deviceId,
    record.outcome,
    canonicalJson(record.detail),
    record.prevHash,
    record.hash,
  ];
}

/** A challenges row as a record (`allowed_keys` from its JSON text). */
export function toChallenge(row: Row): ChallengeRecord {
  const allowed: unknown = JSON.parse(text(row.allowed_keys));
  return {
    id: text(row.id),
    userId: text(row.user_id),
    ceremony: row.ceremony as ChallengeRecord['ceremony'],
    createdAt: num(row.created_at),
    expiresAt: num(row.expires_at),
    // Anything but the array written by challengeParams allows no key (a sign-in is refused).
    allowedKeys: Array.isArray(allowed)
      ? allowed.map((key: Partial<AllowedKey>) => ({
          deviceId: String(key.deviceId),
          signCount: Number(key.signCount),
        }))
      : [],
  };
}

/**
 * A challenge's insert parameters, in the order of the stores' `challengeInsert` statements: id,
 * user_id, ceremony, created_at, expires_at, allowed_keys (JSON text).
 */
export function challengeParams(c: ChallengeRecord): unknown[] {
  const allowed = c.allowedKeys.map((key) => ({ deviceId: key.deviceId, signCount: key.signCount }));
  return [c.id, c.userId, c.ceremony, c.createdAt, c.expiresAt, JSON.stringify(allowed)];
}
