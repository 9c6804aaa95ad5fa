/**
 * @module
 * @mfakit/registry — MFA devices the AWS IAM way: accounts with root and member users, virtual
 * and hardware TOTP devices and security keys, enrollment with two consecutive codes, sign-in
 * with replay protection and attempt throttling, resync, recovery codes, lost-device recovery,
 * a hash-chained audit log and a credential report, over a `RegistryStore` (in memory here;
 * SQLite and PostgreSQL in their own packages). Store authors import `@mfakit/registry/store`.
 */
export {
  type AuditChainResult,
  type AuditTip,
  auditRecordBody,
  auditRecordHash,
  GENESIS_HASH,
  type VerifyAuditChainOptions,
  verifyAuditChain,
} from './audit-chain.js';
export {
  type AuditDigest,
  type AuditDigestResult,
  type AuditSigner,
  auditDigestHash,
  auditDigestMessage,
  ed25519AuditSigner,
  generateAuditSigningKey,
  verifyAuditDigests,
} from './audit-digest.js';
export { AUDIT_EVENTS, type AuditEventName, isAuditEventName } from './audit-events.js';
export { type CanonicalValue, canonicalJson } from './canonical-json.js';
export { type Clock, systemClock } from './clock.js';
export {
  backoffDelay,
  MAX_FAILURES_CAP,
  type RegistryConfig,
  type RegistryOptions,
  type WebAuthnRelyingParty,
} from './config.js';
export { type CredentialReport, type CredentialReportRow, csvCell } from './credential-report.js';
export { VirtualDeviceEnrollment } from './enrollment.js';
export {
  REGISTRY_ERROR_CODES,
  type RegistryError,
  type RegistryErrorCode,
  RetryLaterError,
  registryError,
  STORE_ERROR_CODES,
  type StoreErrorCode,
} from './errors.js';
export type { ImportTokensOptions } from './hardware.js';
export type { RotationReport } from './key-rotation.js';
export { RECOVERY_SESSION_CODE_DIGITS, type StartRecoveryResult } from './lost-device.js';
export { MemoryRegistryStore } from './memory-store.js';
export * from './model.js';
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
export type { SecurityKeyRegistrationResult } from './security-key-ceremony.js';
export { parseSeedFile, type SeedEntry } from './seed-file.js';
export type { ListAuditOptions, RegistryStore } from './store.js';
export type { AttemptFailure, RefusalReason } from './throttle.js';
export type { U2fRegisterRequest, U2fRegistrationAnswer, U2fSignInAnswer, U2fSignRequest } from './u2f-keys.js';
export type { DeviceInfo, NewUser } from './users.js';
export { SYSTEM_ACTOR } from './validate.js';
