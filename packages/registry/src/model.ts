/**
 * @module
 * The records a `RegistryStore` keeps. Plain data only (strings, numbers, null, Uint8Array), so
 * each maps one-to-one onto a table row: SQL stores need no ORM and no JSON columns.
 * Times are ms since the epoch; "none" is `null`, never `undefined`.
 */
import type { HashAlgorithm } from '@mfakit/core';

export type UserKind = 'root' | 'member';

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  phone: string;
  /** `root` users recover a lost device themselves; `member`s are reset by a root admin. */
  kind: UserKind;
  createdAt: number;
}

export type DeviceKind = 'virtual' | 'hardware' | 'u2f';
export type DeviceState = 'pending' | 'active' | 'deactivated';

/** Kinds that verify one-time codes (RFC 6238 TOTP). `u2f` devices are verified by @mfakit/u2f. */
export const OTP_DEVICE_KINDS: readonly DeviceKind[] = ['virtual', 'hardware'];

export interface DeviceRecord {
  id: string;
  userId: string;
  kind: DeviceKind;
  name: string;
  state: DeviceState;
  createdAt: number;
  enabledAt: number | null;
  deactivatedAt: number | null;
  /** AES-256-GCM sealed secret (version ‖ nonce ‖ ciphertext ‖ tag), associated data = device id. */
  encryptedSecret: Uint8Array | null;
  /** Id of the `KeyProvider` key that sealed `encryptedSecret`. */
  keyId: string | null;
  algorithm: HashAlgorithm;
  digits: number;
  period: number;
  /** RFC 6238 §5.2 replay guard: only later steps are accepted. -1 before first use. */
  lastAcceptedStep: number;
  /** Learned clock drift in steps (RFC 6238 §6); verification windows centre here. */
  driftSteps: number;
  lastUsedAt: number | null;
  /** Hardware token serial number; null for other kinds. */
  serial: string | null;
  /** Extension data for kinds verified elsewhere (u2f key handle and public key, as text). */
  extension: string | null;
}

export interface HardwareTokenRecord {
  serial: string;
  /** Sealed secret, associated data = `hardware-token:<serial>`. */
  encryptedSecret: Uint8Array;
  keyId: string;
  algorithm: HashAlgorithm;
  digits: number;
  period: number;
  importedAt: number;
  assignedUserId: string | null;
  assignedDeviceId: string | null;
  assignedAt: number | null;
}

/** Per-user, per-scope consecutive failure state (OTP sign-in and recovery codes count apart). */
export type FailureScope = 'otp' | 'recovery_code';

export interface FailureState {
  userId: string;
  scope: FailureScope;
  failureCount: number;
  lastFailureAt: number | null;
  /** Set when the count reached the lockout threshold; cleared only by a reset. */
  lockedAt: number | null;
}

export interface RecoveryCodeRecord {
  /** Position in the generated set, 0-based; audit events name this, never the code. */
  index: number;
  hash: Uint8Array;
  usedAt: number | null;
}

export interface RecoveryCodeSet {
  userId: string;
  /** Per-user, per-generation random salt of the code hashes. */
  salt: Uint8Array;
  createdAt: number;
  codes: RecoveryCodeRecord[];
}

export type RecoverySessionState = 'open' | 'completed' | 'failed' | 'superseded';

/** An out-of-band lost-device recovery: one code sent by email, one by SMS, both required. */
export interface RecoverySessionRecord {
  id: string;
  userId: string;
  salt: Uint8Array;
  emailCodeHash: Uint8Array;
  phoneCodeHash: Uint8Array;
  createdAt: number;
  expiresAt: number;
  attempts: number;
  state: RecoverySessionState;
  finishedAt: number | null;
}

export type AuditOutcome = 'ok' | 'fail';

/** Scalar details only; never secrets, codes or recovery codes. */
export type AuditDetail = Record<string, string | number | boolean | null>;

/** An audit event before the store numbers and chains it. */
export interface AuditDraft {
  at: number;
  event: string;
  /** Who acted: the user themself, an admin's user id, or `system`. */
  actor: string;
  userId: string | null;
  deviceId: string | null;
  outcome: AuditOutcome;
  detail: AuditDetail;
}

/** An audit record as stored: `hash` = SHA-256 of the canonical JSON of every other field. */
export interface AuditRecord extends AuditDraft {
  /** 1, 2, 3, … in append order, without gaps. */
  seq: number;
  /** `hash` of record `seq - 1`; 64 zeros for the first record. */
  prevHash: string;
  hash: string;
}
