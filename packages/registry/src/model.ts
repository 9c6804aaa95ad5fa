/**
 * @module
 * The records a `RegistryStore` keeps. Plain data only (strings, numbers, null, Uint8Array), so
 * each maps one-to-one onto a table row: SQL stores need no ORM and no JSON columns (the audit
 * record's flat `detail` is the one exception: a text column of canonical JSON).
 * Times are ms since the epoch; "none" is `null`, never `undefined`.
 */
import type { HashAlgorithm } from '@mfakit/core';

/** An account (AWS: one root user, many member users). Admin actions stay inside one account. */
export interface AccountRecord {
  id: string;
  /** The account's root user. */
  rootUserId: string;
  createdAt: number;
}

/** The kinds of user, as a list. */
export const USER_KINDS = ['root', 'member'] as const;
/** `root` (owns an account, recovers itself) or `member` (administered by the account's root). */
export type UserKind = (typeof USER_KINDS)[number];

/** A user as the store keeps it. */
export interface UserRecord {
  id: string;
  accountId: string;
  name: string;
  email: string;
  phone: string;
  /** `root` users recover a lost device themselves; `member`s are reset by their account's root. */
  kind: UserKind;
  createdAt: number;
}

/** The kinds of MFA device, as a list. */
export const DEVICE_KINDS = ['virtual', 'hardware', 'security-key'] as const;
/** `virtual` (authenticator app), `hardware` (TOTP token by serial) or `security-key` (FIDO). */
export type DeviceKind = (typeof DEVICE_KINDS)[number];
/** Kinds that verify one-time codes (RFC 6238 TOTP). */
export const OTP_DEVICE_KINDS = ['virtual', 'hardware'] as const;
/** The device kinds that verify one-time codes. */
export type OtpDeviceKind = (typeof OTP_DEVICE_KINDS)[number];
/** The states of a device, as a list. */
export const DEVICE_STATES = ['pending', 'active', 'deactivated'] as const;
/** `pending` (created, not yet proven with two codes), `active`, or `deactivated`. */
export type DeviceState = (typeof DEVICE_STATES)[number];

/** What every device has, whatever its kind. */
export interface DeviceRecordBase {
  id: string;
  userId: string;
  name: string;
  state: DeviceState;
  createdAt: number;
  enabledAt: number | null;
  deactivatedAt: number | null;
  lastUsedAt: number | null;
}

/** A virtual (authenticator app) or hardware TOTP device. */
export interface OtpDeviceRecord extends DeviceRecordBase {
  kind: OtpDeviceKind;
  /**
   * AES-256-GCM sealed secret (version ‖ nonce ‖ ciphertext ‖ tag); associated data binds it
   * to this device id and its user (secret-box.ts), so a row moved to another user fails to open.
   */
  encryptedSecret: Uint8Array;
  /** Id of the `KeyProvider` key that sealed `encryptedSecret`. */
  keyId: string;
  algorithm: HashAlgorithm;
  digits: number;
  period: number;
  /** RFC 6238 §5.2 replay guard: only later steps are accepted. -1 before first use. */
  lastAcceptedStep: number;
  /** Learned clock drift in steps (RFC 6238 §6); verification windows centre here. */
  driftSteps: number;
  /** Hardware token serial number; null for virtual devices. */
  serial: string | null;
}

/** How a security key's public key is stored. */
export const PUBLIC_KEY_FORMATS = ['cose', 'raw-p256'] as const;
/** How a security key's public key is stored: COSE_Key (WebAuthn) or a raw P-256 point (U2F). */
export type PublicKeyFormat = (typeof PUBLIC_KEY_FORMATS)[number];

/**
 * A FIDO security key (WebAuthn or raw U2F). The fields are what a verified registration names
 * (WebAuthn §7.1 step 27: credential id, public key, sign count, transports, AAGUID, format).
 */
export interface SecurityKeyRecord extends DeviceRecordBase {
  kind: 'security-key';
  credentialId: Uint8Array;
  /** COSE_Key (WebAuthn) or the 65-byte uncompressed P-256 point (raw U2F). */
  publicKey: Uint8Array;
  publicKeyFormat: PublicKeyFormat;
  /** WebAuthn §6.1.1 signature counter; advanced only by a compare-and-set. */
  signCount: number;
  /** Comma-separated WebAuthn transports (`usb,nfc`), or '' when unknown. */
  transports: string;
  /** Authenticator model (AAGUID as a UUID string), or null (U2F keys have none). */
  aaguid: string | null;
  /** Attestation statement format at registration (`fido-u2f`, `packed`, `none`, …). */
  attestationFormat: string;
  /** Set when the key presented a sign counter that did not grow (a cloned key). */
  flaggedAt: number | null;
}

/** Any device as the store keeps it: an OTP device or a security key (by `kind`). */
export type DeviceRecord = OtpDeviceRecord | SecurityKeyRecord;

/**
 * The fields every new device starts with: created now, never used or deactivated; enabled now
 * when it starts `active` (hardware tokens and security keys prove possession as they are added),
 * not yet when `pending` (a virtual device waits for its two codes).
 */
export function newDeviceBase(
  id: string,
  userId: string,
  name: string,
  state: 'pending' | 'active',
  at: number,
): DeviceRecordBase {
  return {
    id,
    userId,
    name,
    state,
    createdAt: at,
    enabledAt: state === 'active' ? at : null,
    deactivatedAt: null,
    lastUsedAt: null,
  };
}

/** True for a virtual or hardware TOTP device. */
export function isOtpDevice(device: DeviceRecord): device is OtpDeviceRecord {
  return device.kind === 'virtual' || device.kind === 'hardware';
}

/** A hardware TOTP token in the inventory, imported from a vendor seed file. */
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

/** What an attempt counter counts: one-time codes, recovery codes (each throttled apart). */
export const ATTEMPT_SCOPES = ['otp', 'recovery_code'] as const;
/** What an attempt counter counts: `otp` (codes and security keys) or `recovery_code`. */
export type AttemptScope = (typeof ATTEMPT_SCOPES)[number];

/**
 * Per-user, per-scope attempt counter (RFC 4226 §7.3, NIST SP 800-63B §5.2.2). An attempt is
 * counted *before* its code is checked (throttle.ts), so `failureCount` includes attempts in
 * flight; a success resets it, a replay gives its count back.
 */
export interface AttemptState {
  userId: string;
  scope: AttemptScope;
  failureCount: number;
  lastFailureAt: number | null;
  /** Set when the count reached the lockout threshold; cleared by a reset. */
  lockedAt: number | null;
}

/** The state of a user and scope with nothing counted: what a store returns when it has no row. */
export function zeroAttemptState(userId: string, scope: AttemptScope): AttemptState {
  return { userId, scope, failureCount: 0, lastFailureAt: null, lockedAt: null };
}

/** One recovery code of a set, as its salted hash. */
export interface RecoveryCodeRecord {
  /** Position in the generated set, 0-based; audit events name this, never the code. */
  index: number;
  hash: Uint8Array;
  usedAt: number | null;
}

/** A user's current set of recovery codes. */
export interface RecoveryCodeSet {
  userId: string;
  /** Per-user, per-generation random salt of the code hashes. */
  salt: Uint8Array;
  createdAt: number;
  codes: RecoveryCodeRecord[];
}

/** The states of a lost-device recovery session, as a list. */
export const RECOVERY_SESSION_STATES = ['open', 'completed', 'failed', 'superseded'] as const;
/** `open`, `completed`, `failed` (expired) or `superseded` (another session completed). */
export type RecoverySessionState = (typeof RECOVERY_SESSION_STATES)[number];

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

/** The WebAuthn ceremonies a challenge is issued for, as a list. */
export const CHALLENGE_CEREMONIES = ['registration', 'authentication'] as const;
/** `registration` or `authentication`. */
export type ChallengeCeremony = (typeof CHALLENGE_CEREMONIES)[number];

/** A security key a sign-in challenge allows, with the key's stored sign counter when it was issued. */
export interface AllowedKey {
  /** The security key's device id. */
  deviceId: string;
  /** The key's stored `signCount` when the challenge was issued: what its counter is judged against. */
  signCount: number;
}

/**
 * A WebAuthn challenge the server issued (WebAuthn §13.4.3: random, single use, short-lived),
 * bound to the user and the ceremony. Kept in the store so every server instance can check it.
 */
export interface ChallengeRecord {
  /** The challenge itself, base64url (at least 32 random bytes): the client returns it in clientDataJSON. */
  id: string;
  userId: string;
  ceremony: ChallengeCeremony;
  createdAt: number;
  expiresAt: number;
  /**
   * The keys a sign-in may answer it with (its `allowCredentials`, WebAuthn §7.2 step 5), each
   * with its counter at issue time: an assertion's counter not above that one is the clone
   * signal of §6.1.1 (docs/decisions.md, "security-key counters under concurrency"). Empty for
   * a registration.
   */
  allowedKeys: AllowedKey[];
}

/** The outcomes of an audit record, as a list. */
export const AUDIT_OUTCOMES = ['ok', 'fail'] as const;
/** Whether the audited action succeeded (`ok`) or was refused (`fail`). */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Scalar details only; never secrets, codes or recovery codes. */
export type AuditDetail = Record<string, string | number | boolean | null>;

/** An audit event before the store numbers and chains it. */
export interface AuditDraft {
  at: number;
  /** One of `AUDIT_EVENTS` when the registry wrote it. */
  event: string;
  /** Who acted: the user themself, an admin's user id, or `system`. */
  actor: string;
  /** The account the event belongs to (listing by account); null for system-wide events. */
  accountId: string | null;
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
