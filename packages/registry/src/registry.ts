/**
 * @module
 * `Registry`: the MFA registry a server uses, AWS IAM style. Each method is one flow (see the
 * module of each flow); every flow that changes state is audited. Calls refused with an
 * `MfaError` (unknown ids, wrong state, malformed input) change nothing in the store.
 */
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@mfakit/u2f';
import type { AuthenticationResponseLike, RegistrationResponseLike } from '@mfakit/u2f/webauthn';
import { adminDeactivateDevice, adminResetLockout } from './admin.js';
import { type AuditChainResult, type VerifyAuditChainOptions, verifyAuditChain } from './audit-chain.js';
import { type AuditDigest, type AuditDigestResult, signAuditDigest, verifyAuditDigests } from './audit-digest.js';
import { type RegistryConfig, type RegistryOptions, resolveConfig } from './config.js';
import type { RegistryContext } from './context.js';
import { type CredentialReport, credentialReport } from './credential-report.js';
import { DeviceKeys } from './device-keys.js';
import { createVirtualDevice, enableDevice, type VirtualDeviceEnrollment } from './enrollment.js';
import { assignHardwareDevice, type ImportTokensOptions, importHardwareTokens } from './hardware.js';
import { type RotationReport, rotateKeys } from './key-rotation.js';
import { completeRecovery, type StartRecoveryResult, startRecovery } from './lost-device.js';
import type { AuditRecord, UserRecord } from './model.js';
import type { NotificationChannel } from './notifier.js';
import { generateRecoveryCodes, useRecoveryCode } from './recovery-code-flow.js';
import { removeDevice } from './remove-device.js';
import type { CompleteRecoveryResult, ConsecutiveCodesResult, RecoveryCodeResult, SignInResult } from './results.js';
import type { SecurityKeyRegistrationResult } from './security-key-ceremony.js';
import {
  beginSecurityKeyRegistration,
  beginSecurityKeySignIn,
  finishSecurityKeyRegistration,
  verifySecurityKeySignIn,
} from './security-keys.js';
import { resyncDevice, verifySignIn } from './sign-in.js';
import type { ListAuditOptions } from './store.js';
import {
  beginU2fRegistration,
  beginU2fSignIn,
  finishU2fRegistration,
  type U2fRegisterRequest,
  type U2fRegistrationAnswer,
  type U2fSignInAnswer,
  type U2fSignRequest,
  verifyU2fSignIn,
} from './u2f-keys.js';
import { createUser, type DeviceInfo, listUserDevices, type NewUser } from './users.js';
import { assertId, assertOptions } from './validate.js';

/** The MFA registry a server uses (AWS IAM style): one method per flow; see the module doc and the package README. */
export class Registry {
  readonly config: RegistryConfig;
  readonly #context: RegistryContext;

  constructor(options: RegistryOptions) {
    this.config = resolveConfig(options);
    this.#context = { config: this.config, deviceKeys: new DeviceKeys(this.config.keys, this.config.keyCacheSize) };
  }

  /** Creates a user: a `root` user with a new account, or a `member` of `accountId`. */
  createUser(user: NewUser): Promise<UserRecord> {
    return createUser(this.#context, user);
  }

  /** The user, or undefined. */
  async getUser(userId: string): Promise<UserRecord | undefined> {
    return this.config.store.users.get(assertId(userId, 'userId'));
  }

  /** The users of one account, by creation time. */
  async listUsers(accountId: string): Promise<UserRecord[]> {
    return this.config.store.users.list({ accountId: assertId(accountId, 'accountId') });
  }

  /** The user's devices as the registry shows them (never a secret). */
  listDevices(userId: string): Promise<DeviceInfo[]> {
    return listUserDevices(this.#context, userId);
  }

  /** CreateVirtualMFADevice: a pending device, its secret, otpauth URI and QR. */
  createVirtualDevice(userId: string, options: { name: string }): Promise<VirtualDeviceEnrollment> {
    return createVirtualDevice(this.#context, userId, options);
  }

  /** EnableMFADevice: two consecutive codes activate a pending virtual device. */
  enableDevice(userId: string, deviceId: string, code1: string, code2: string): Promise<ConsecutiveCodesResult> {
    return enableDevice(this.#context, userId, deviceId, code1, code2);
  }

  /** Imports a vendor seed file (`serial,base32secret[,digits,period]` lines) into the token inventory. */
  importHardwareTokens(seedFile: string, options?: ImportTokensOptions): Promise<{ serials: string[] }> {
    return importHardwareTokens(this.#context, seedFile, options);
  }

  /** EnableMFADevice with a serial number: two consecutive codes from the token assign it to the user. */
  assignHardwareDevice(
    userId: string,
    serial: string,
    code1: string,
    code2: string,
    options?: { name?: string },
  ): Promise<ConsecutiveCodesResult> {
    return assignHardwareDevice(this.#context, userId, serial, code1, code2, options);
  }

  /** WebAuthn creation options (with a fresh challenge) to register a security key. */
  beginSecurityKeyRegistration(userId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return beginSecurityKeyRegistration(this.#context, userId);
  }

  /** Checks the browser's registration response; stores the key as an active device. */
  finishSecurityKeyRegistration(
    userId: string,
    response: RegistrationResponseLike,
    options: { name: string },
  ): Promise<SecurityKeyRegistrationResult> {
    return finishSecurityKeyRegistration(this.#context, userId, response, options);
  }

  /** WebAuthn request options (with a fresh challenge) listing the user's security keys. */
  beginSecurityKeySignIn(userId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return beginSecurityKeySignIn(this.#context, userId);
  }

  /** Checks a security key's assertion, throttled like a code. Answer the client with `publicOutcome()`. */
  verifySecurityKeySignIn(userId: string, response: AuthenticationResponseLike): Promise<SignInResult> {
    return verifySecurityKeySignIn(this.#context, userId, response);
  }

  /** Raw FIDO U2F (native clients): a register request with a fresh challenge and the app id. */
  beginU2fRegistration(userId: string): Promise<U2fRegisterRequest> {
    return beginU2fRegistration(this.#context, userId);
  }

  /** Checks a key's raw U2F registration message; stores the key as an active device. */
  finishU2fRegistration(
    userId: string,
    answer: U2fRegistrationAnswer,
    options: { name: string },
  ): Promise<SecurityKeyRegistrationResult> {
    return finishU2fRegistration(this.#context, userId, answer, options);
  }

  /** Raw FIDO U2F: a sign request with a fresh challenge and the user's U2F key handles. */
  beginU2fSignIn(userId: string): Promise<U2fSignRequest> {
    return beginU2fSignIn(this.#context, userId);
  }

  /** Checks a key's raw U2F authentication message, throttled like a code. */
  verifyU2fSignIn(userId: string, answer: U2fSignInAnswer): Promise<SignInResult> {
    return verifyU2fSignIn(this.#context, userId, answer);
  }

  /** Checks a sign-in code against every active OTP device of the user. Answer the client with `publicOutcome()`. */
  verifySignIn(userId: string, code: string): Promise<SignInResult> {
    return verifySignIn(this.#context, userId, code);
  }

  /** ResyncMFADevice: two consecutive codes in a wide window re-learn the device's drift. */
  resyncDevice(userId: string, deviceId: string, code1: string, code2: string): Promise<ConsecutiveCodesResult> {
    return resyncDevice(this.#context, userId, deviceId, code1, code2);
  }

  /** A new set of recovery codes (show them once); earlier codes stop working. */
  generateRecoveryCodes(userId: string): Promise<string[]> {
    return generateRecoveryCodes(this.#context, userId);
  }

  /** Signs in with a single-use recovery code; clears the OTP lockout. */
  useRecoveryCode(userId: string, code: string): Promise<RecoveryCodeResult> {
    return useRecoveryCode(this.#context, userId, code);
  }

  /**
   * Lost device, no recovery codes: sends one code to the user's email and one to their phone.
   * Rate-limited per user: throws `RetryLaterError` (`recovery_rate_limited`) with `retryAfterMs`.
   */
  startRecovery(userId: string): Promise<StartRecoveryResult> {
    return startRecovery(this.#context, userId);
  }

  /**
   * Both codes: deactivates the user's devices, clears lockout, notifies both channels. With
   * `{ userId }` (the signed-in user), a session of another user is answered as unknown.
   */
  completeRecovery(
    sessionId: string,
    emailCode: string,
    phoneCode: string,
    options?: { userId?: string },
  ): Promise<CompleteRecoveryResult> {
    return completeRecovery(this.#context, sessionId, emailCode, phoneCode, options);
  }

  /** DeactivateMFADevice by the user: removes one of their own devices (ask for a recent MFA check first). */
  removeDevice(userId: string, deviceId: string): Promise<{ failedNotices: NotificationChannel[] }> {
    return removeDevice(this.#context, userId, deviceId);
  }

  /** An account's root user deactivates a member's device; the member is told by email. */
  adminDeactivateDevice(
    adminId: string,
    userId: string,
    deviceId: string,
  ): Promise<{ failedNotices: NotificationChannel[] }> {
    return adminDeactivateDevice(this.#context, adminId, userId, deviceId);
  }

  /** An account's root user clears a member's lockout. */
  adminResetLockout(adminId: string, userId: string): Promise<void> {
    return adminResetLockout(this.#context, adminId, userId);
  }

  /** Re-seals every secret not under the key provider's current key. */
  rotateKeys(actor?: string): Promise<RotationReport> {
    return rotateKeys(this.#context, actor === undefined ? 'system' : assertId(actor, 'actor'));
  }

  /** Every user's MFA status, or one account's (`{ accountId }`). */
  credentialReport(options?: { accountId?: string }): Promise<CredentialReport> {
    return credentialReport(this.#context, options);
  }

  /** Audit records in order; `{ afterSeq, limit, accountId }` page and scope them. */
  listAudit(options?: ListAuditOptions): Promise<AuditRecord[]> {
    return this.config.store.audit.list(checkListAuditOptions(options));
  }

  /**
   * Signs the audit chain's current position with `auditSigner` (CloudTrail-style digest), linked
   * to `previous` (the last digest you kept). Store the result; verify with `verifyAuditDigests`.
   */
  async signAuditDigest(previous?: AuditDigest): Promise<AuditDigest> {
    if (this.config.auditSigner === undefined) {
      throw new TypeError('Signing audit digests needs `auditSigner` in the Registry options');
    }
    return signAuditDigest(
      this.config.auditSigner,
      await this.config.store.audit.list(),
      this.config.clock.now(),
      previous,
    );
  }

  /** Reads the whole audit log and checks its chain and every digest (public keys by key id). */
  async verifyAuditDigests(
    digests: readonly AuditDigest[],
    publicKeys: Readonly<Record<string, Uint8Array>>,
  ): Promise<AuditDigestResult> {
    return verifyAuditDigests(await this.config.store.audit.list(), digests, publicKeys);
  }

  /** Reads the whole audit log and checks its hash chain. */
  async verifyAuditChain(options?: VerifyAuditChainOptions): Promise<AuditChainResult> {
    return verifyAuditChain(await this.config.store.audit.list(), options);
  }

  /** Destroys the cached prepared keys (e.g. at shutdown). */
  dispose(): void {
    this.#context.deviceKeys.clear();
  }

  /** The config holds the store, keys and notifier: JSON shows only the issuer. */
  toJSON(): { issuer: string } {
    return { issuer: this.config.issuer };
  }
  /** The issuer only. */
  toString(): string {
    return `Registry(issuer ${this.config.issuer})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function checkListAuditOptions(options: ListAuditOptions | undefined): ListAuditOptions {
  assertOptions(options, 'options');
  const checked: ListAuditOptions = {};
  if (options?.afterSeq !== undefined) checked.afterSeq = wholeNumber(options.afterSeq, 'afterSeq', 0);
  if (options?.limit !== undefined) checked.limit = wholeNumber(options.limit, 'limit', 1);
  if (options?.accountId !== undefined) checked.accountId = assertId(options.accountId, 'accountId');
  return checked;
}

function wholeNumber(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${name} must be an integer`);
  if (value < min) throw new RangeError(`${name} must be at least ${min}`);
  return value;
}
