/**
 * @module
 * `RegistryStore`: everything the registry persists, as a small async interface that memory,
 * SQLite and PostgreSQL implement structurally (no ORM; each record is one row).
 *
 * Atomicity contract — the part that makes two server instances safe on one database. Every
 * method is atomic on its own; the ones below are compare-and-set or increment operations whose
 * SQL shape is given, and must not be emulated with a read followed by a write:
 *
 * - `advanceLastAcceptedStep`: `UPDATE devices SET last_accepted_step = $step, … WHERE id = $id
 *   AND state = 'active' AND last_accepted_step < $step` — true iff one row changed. This is the
 *   RFC 6238 §5.2 replay guard: of N racing verifications of one code exactly one wins.
 * - `recordFailure`: `UPDATE failures SET failure_count = failure_count + 1, … RETURNING *`
 *   (upsert when absent) — the new count, exact under concurrency.
 * - `activateDevice`, `deactivateDevice`, `consumeRecoveryCode`, `finishRecoverySession`,
 *   `replaceDeviceSecret`: `UPDATE … WHERE <expected state>` — true iff a row changed.
 *   `consumeRecoveryCode`: `UPDATE recovery_codes SET used_at = $at WHERE user_id = $user AND
 *   idx = $index AND hash = $hash AND used_at IS NULL` (the hash stops a code of a set replaced
 *   in the meantime from consuming the new set's code at the same index).
 * - `insertDevice` / `assignHardwareToken`: the device-count check and the insert (and the
 *   token claim) in one transaction that locks the user's row (SQLite: `BEGIN IMMEDIATE`;
 *   PostgreSQL: `SELECT … FOR UPDATE` on the user).
 * - `appendAudit`: read the tip, `sealAuditRecord(draft, tip)` and insert, in one transaction
 *   with the tip locked (a unique `seq` turns a lost race into a retry, never a fork).
 * - `completeRecoverySession`: the session's compare-and-set (open → completed) and every effect
 *   of a completed recovery — devices deactivated, failure counters reset, recovery codes
 *   deleted, audit records appended — in one transaction, so a failure midway leaves nothing
 *   half-done (the session stays open and a retry completes it).
 * - `insertRecoverySession`: read the user's recent sessions, decide with
 *   `recoveryStartRetryAt`, supersede the open one and insert, in one transaction that locks the
 *   user's row (as `insertDevice`), so racing starts cannot exceed the limit.
 *
 * Records passed in and returned are copies: a caller mutating one must not change the store.
 */
import type {
  AuditDraft,
  AuditRecord,
  DeviceRecord,
  FailureScope,
  FailureState,
  HardwareTokenRecord,
  RecoveryCodeSet,
  RecoverySessionRecord,
  UserRecord,
} from './model.js';
import type { RecoveryStartLimit } from './recovery-start-limit.js';

export type InsertDeviceOutcome = 'inserted' | 'device_limit';
export type AssignTokenOutcome = 'assigned' | 'unknown_serial' | 'serial_assigned' | 'device_limit';
export type ImportTokensOutcome = { ok: true } | { ok: false; duplicateSerial: string };
/** What `completeRecoverySession` did: nothing (the session was not open) or everything. */
export type RecoveryCompletion = { completed: true; deactivatedDeviceIds: string[] } | { completed: false };
/** `retryAt`: when `recoveryStartRetryAt` allows the next start. */
export type InsertRecoverySessionOutcome = { inserted: true } | { inserted: false; retryAt: number };

export interface ListAuditOptions {
  /** Only records with `seq` greater than this. */
  afterSeq?: number;
  /** At most this many records. */
  limit?: number;
}

export interface RegistryStore {
  // Users
  /** False (and no change) when the id is taken. */
  insertUser(user: UserRecord): Promise<boolean>;
  getUser(userId: string): Promise<UserRecord | undefined>;
  /** Ordered by `createdAt`, then `id`. */
  listUsers(): Promise<UserRecord[]>;

  // Devices
  /**
   * Inserts `device` unless its user already has `maxDevices` devices that are pending or
   * active (checked and inserted atomically). Throws on a duplicate device id.
   */
  insertDevice(device: DeviceRecord, maxDevices: number): Promise<InsertDeviceOutcome>;
  getDevice(deviceId: string): Promise<DeviceRecord | undefined>;
  /** One user's devices (all states), ordered by `createdAt`, then `id`; all devices without a filter. */
  listDevices(filter?: { userId?: string }): Promise<DeviceRecord[]>;
  /** pending → active, setting the replay guard and drift. False unless the device was pending. */
  activateDevice(
    deviceId: string,
    change: { at: number; lastAcceptedStep: number; driftSteps: number },
  ): Promise<boolean>;
  /**
   * The replay guard's compare-and-set: if the device is active and `step > lastAcceptedStep`,
   * sets `lastAcceptedStep = step`, `driftSteps`, `lastUsedAt = at` and returns true; else
   * changes nothing and returns false.
   */
  advanceLastAcceptedStep(deviceId: string, step: number, change: { at: number; driftSteps: number }): Promise<boolean>;
  /** pending/active → deactivated. False if already deactivated or unknown. */
  deactivateDevice(deviceId: string, at: number): Promise<boolean>;
  /** Deletes the user's pending devices created before `createdBefore`; returns their ids. */
  deleteExpiredPendingDevices(userId: string, createdBefore: number): Promise<string[]>;
  /** Re-sealed secret (key rotation). False unless the stored `keyId` is still `expectedKeyId`. */
  replaceDeviceSecret(
    deviceId: string,
    expectedKeyId: string,
    encryptedSecret: Uint8Array,
    keyId: string,
  ): Promise<boolean>;

  // Hardware token inventory
  /** All or nothing: fails naming a serial that already exists (or repeats in `tokens`). */
  insertHardwareTokens(tokens: HardwareTokenRecord[]): Promise<ImportTokensOutcome>;
  getHardwareToken(serial: string): Promise<HardwareTokenRecord | undefined>;
  /** Ordered by serial. */
  listHardwareTokens(): Promise<HardwareTokenRecord[]>;
  /**
   * Claims an unassigned token for `device.userId` and inserts `device` (kind hardware, serial
   * set), atomically, subject to the same device limit as `insertDevice`. A token is assignable once.
   */
  assignHardwareToken(serial: string, device: DeviceRecord, maxDevices: number): Promise<AssignTokenOutcome>;
  replaceHardwareTokenSecret(
    serial: string,
    expectedKeyId: string,
    encryptedSecret: Uint8Array,
    keyId: string,
  ): Promise<boolean>;

  // Failure counters and lockout
  /** The state, or a zero state (`failureCount` 0, nulls) if none was recorded. */
  getFailureState(userId: string, scope: FailureScope): Promise<FailureState>;
  /**
   * Atomic increment: `failureCount + 1`, `lastFailureAt = at`, and `lockedAt = at` if the new
   * count is ≥ `lockThreshold` and `lockedAt` was null. Returns the state after the increment.
   */
  recordFailure(userId: string, scope: FailureScope, at: number, lockThreshold: number): Promise<FailureState>;
  /** Count 0, no lock. */
  resetFailures(userId: string, scope: FailureScope): Promise<void>;

  // Recovery codes
  /** Replaces the user's whole set (older codes stop working). */
  replaceRecoveryCodes(set: RecoveryCodeSet): Promise<void>;
  getRecoveryCodes(userId: string): Promise<RecoveryCodeSet | undefined>;
  /**
   * Marks the user's code at `index` used (`usedAt = at`) if it is unused and its hash is still
   * `hash`; false (and no change) if it was already used, does not exist, or belongs to a set
   * that replaced the one the caller read. A used code keeps its row (hash and `usedAt`) until
   * the set is replaced or deleted: the registry recognises a reused code by it.
   */
  consumeRecoveryCode(userId: string, index: number, hash: Uint8Array, at: number): Promise<boolean>;
  deleteRecoveryCodes(userId: string): Promise<void>;

  // Lost-device recovery sessions
  /**
   * Unless `recoveryStartRetryAt(<createdAt of the user's sessions>, session.createdAt, limit)`
   * refuses it: marks the user's open sessions `superseded` (`finishedAt = session.createdAt`)
   * and inserts `session`. A refused start changes nothing. Throws on a duplicate session id.
   */
  insertRecoverySession(
    session: RecoverySessionRecord,
    limit: RecoveryStartLimit,
  ): Promise<InsertRecoverySessionOutcome>;
  getRecoverySession(sessionId: string): Promise<RecoverySessionRecord | undefined>;
  /** Atomic `attempts + 1`; the new count, or undefined for an unknown session. */
  incrementRecoveryAttempts(sessionId: string): Promise<number | undefined>;
  /** open → `state`. False unless the session was open. */
  finishRecoverySession(sessionId: string, state: 'completed' | 'failed', at: number): Promise<boolean>;
  /**
   * Completes a lost-device recovery, all or nothing, in one transaction: the session open →
   * completed (`finishedAt = at`); every pending or active device of the session's user →
   * deactivated (`deactivatedAt = at`); the user's failure counters of both scopes reset; the
   * user's recovery codes deleted; and the drafts `auditDrafts(deactivatedDeviceIds)` appended
   * to the audit chain, in order, as `appendAudit` would. `deactivatedDeviceIds` are in
   * `listDevices` order. `{ completed: false }` and no change unless the session was open; if
   * `auditDrafts` throws, nothing changes and its error propagates.
   */
  completeRecoverySession(
    sessionId: string,
    at: number,
    auditDrafts: (deactivatedDeviceIds: string[]) => AuditDraft[],
  ): Promise<RecoveryCompletion>;

  // Audit log
  /** Appends one record to the hash chain (see module doc) and returns it sealed. */
  appendAudit(draft: AuditDraft): Promise<AuditRecord>;
  /** Records in `seq` order. */
  listAudit(options?: ListAuditOptions): Promise<AuditRecord[]>;

  /** Releases connections; the registry never calls it. */
  close?(): Promise<void>;
}
