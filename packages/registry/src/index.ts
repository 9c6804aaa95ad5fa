/**
 * @module
 * @mfakit/registry — MFA devices the AWS IAM way: virtual and hardware TOTP devices, enrollment
 * with two consecutive codes, sign-in with replay protection and throttling, resync, recovery
 * codes, lost-device recovery, a hash-chained audit log and a credential report, over a
 * `RegistryStore` (in-memory here; SQLite and PostgreSQL in their own packages).
 */
export {
  type AuditChainResult,
  type AuditTip,
  auditRecordBody,
  auditRecordHash,
  GENESIS_HASH,
  sealAuditRecord,
  type VerifyAuditChainOptions,
  verifyAuditChain,
} from './audit-chain.js';
export { type CanonicalValue, canonicalJson } from './canonical-json.js';
export { type Clock, systemClock } from './clock.js';
export { backoffDelay, MAX_FAILURES_CAP, type RegistryConfig, type RegistryOptions } from './config.js';
export type { CredentialReport, CredentialReportRow } from './credential-report.js';
export type { VirtualDeviceEnrollment } from './enrollment.js';
export { type RegistryError, type RegistryErrorCode, RetryLaterError, registryError } from './errors.js';
export type { ImportTokensOptions } from './hardware.js';
export type { RotationReport } from './key-rotation.js';
export { RECOVERY_SESSION_CODE_DIGITS } from './lost-device.js';
export { MemoryRegistryStore, type MemoryStoreSnapshot } from './memory-store.js';
export {
  type AuditDetail,
  type AuditDraft,
  type AuditOutcome,
  type AuditRecord,
  type DeviceKind,
  type DeviceRecord,
  type DeviceState,
  type FailureScope,
  type FailureState,
  type HardwareTokenRecord,
  OTP_DEVICE_KINDS,
  type RecoveryCodeRecord,
  type RecoveryCodeSet,
  type RecoverySessionRecord,
  type RecoverySessionState,
  type UserKind,
  type UserRecord,
} from './model.js';
export {
  ConsoleNotifier,
  MemoryNotifier,
  type Notification,
  type NotificationChannel,
  type NotificationKind,
  type Notifier,
} from './notifier.js';
export { normalizeRecoveryCode, RECOVERY_CODE_BITS } from './recovery-codes.js';
export { type RecoveryStartLimit, recoveryStartRetryAt } from './recovery-start-limit.js';
export { Registry } from './registry.js';
export {
  type CompleteRecoveryResult,
  type ConsecutiveCodesResult,
  type PublicOutcome,
  publicOutcome,
  type RecoveryCodeResult,
  type SignInFailureReason,
  type SignInResult,
} from './results.js';
export { generateDataKey, KEY_BYTES, type KeyProvider, StaticKeyProvider } from './secret-box.js';
export { parseSeedFile, type SeedEntry } from './seed-file.js';
export type {
  AssignTokenOutcome,
  ImportTokensOutcome,
  InsertDeviceOutcome,
  InsertRecoverySessionOutcome,
  ListAuditOptions,
  RecoveryCompletion,
  RegistryStore,
} from './store.js';
export type { DeviceInfo, NewUser } from './users.js';
