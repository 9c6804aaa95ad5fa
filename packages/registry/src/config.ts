/**
 * @module
 * Registry options, checked and frozen at construction (a registry's policy cannot be changed
 * under it). Defaults follow AWS IAM MFA and NIST SP 800-63B §5.2.2.
 */
import type { HashAlgorithm } from '@mfakit/core';
import {
  algorithmOption,
  integerOption as integer,
  isRecord,
  isRfc6238Algorithm,
  RFC_6238_ALGORITHMS,
} from '@mfakit/core/validate';
import type { AuditSigner } from './audit-digest.js';
import { type Clock, systemClock } from './clock.js';
import type { Notifier } from './notifier.js';
import type { KeyProvider } from './secret-box.js';
import { type RegistryStore, STORE_METHODS } from './store.js';
import { assertName } from './validate.js';

/** NIST SP 800-63B §5.2.2 requires a limit of at most 100 consecutive failures. */
export const MAX_FAILURES_CAP = 100;

/** Options of `new Registry(options)`: the store and keys, and the policy (AWS IAM and NIST SP 800-63B defaults). */
export interface RegistryOptions {
  store: RegistryStore;
  /** Keys that seal device secrets at rest. */
  keys: KeyProvider;
  /** Default: the system clock. */
  clock?: Clock;
  /** Needed for lost-device recovery (`startRecovery`) and deactivation notices. */
  notifier?: Notifier;
  /** Issuer shown in authenticator apps (otpauth label `issuer:user`). Default `mfakit`. */
  issuer?: string;
  /** Consecutive OTP failures that disable OTP sign-in until recovery or admin reset. Default 10, 1–100. */
  maxFailures?: number;
  /** Failures after which each attempt must wait a back-off delay. Default 3. */
  backoffAfterFailures?: number;
  /** First back-off delay; it doubles with each further failure. Default 1 000 ms. */
  backoffBaseMs?: number;
  /** Longest back-off delay. Default 30 000 ms. */
  backoffMaxMs?: number;
  /** Sign-in window, steps each side of the device's learned drift (RFC 6238 §5.2). Default 1, 0–10. */
  window?: number;
  /** Window for the first of two enrollment codes: phones run fast or slow. Default 3, 0–20. */
  enableWindow?: number;
  /** Resync search window each side of the real time step. Default 20 (±10 min), 1–100. */
  resyncWindow?: number;
  /** A pending device not enabled within this time cannot be enabled. Default 10 min. */
  pendingTtlMs?: number;
  /** MFA devices (pending or active) per user. Default 8, as in AWS IAM. */
  maxDevicesPerUser?: number;
  /** Recovery codes per generation. Default 10. */
  recoveryCodeCount?: number;
  /** Consecutive wrong recovery codes before they are locked too. Default 10, 1–100. */
  maxRecoveryCodeFailures?: number;
  /** Lifetime of a lost-device recovery session. Default 15 min. */
  recoverySessionTtlMs?: number;
  /** Attempts at a recovery session's two codes. Default 5. */
  recoveryMaxAttempts?: number;
  /** Lost-device recovery starts (each sends an email and an SMS) per user per `recoveryStartWindowMs`. Default 5, 1–100. */
  maxRecoveryStarts?: number;
  /** The window `maxRecoveryStarts` counts in. Default 1 hour, 1 min – 7 days. */
  recoveryStartWindowMs?: number;
  /** Least time between two recovery starts of a user. Default 60 000 ms, 0 – `recoveryStartWindowMs`. */
  recoveryStartIntervalMs?: number;
  /** Let `member` users run self-service lost-device recovery. Default false (admins reset them). */
  allowMemberSelfRecovery?: boolean;
  /** TOTP parameters for new virtual devices. Default SHA1 / 6 digits / 30 s (what Google Authenticator honours). */
  algorithm?: HashAlgorithm;
  digits?: number;
  period?: number;
  /** Prepared (decrypted) TOTP keys kept in memory for speed; 0 decrypts on every use. Default 10 000. */
  keyCacheSize?: number;
  /** The relying party for security keys (WebAuthn); the security-key flows need it. */
  webauthn?: WebAuthnRelyingParty;
  /** Signs audit digests (`signAuditDigest`) with a key held outside the database. */
  auditSigner?: AuditSigner;
  /** Lifetime of a WebAuthn challenge. Default 5 min, 30 s – 15 min. */
  challengeTtlMs?: number;
}

/** Who the server is to a security key (WebAuthn §5.4.2, §13.4.9). */
export interface WebAuthnRelyingParty {
  /** The RP ID: the server's registrable domain, e.g. `example.com`. */
  rpId: string;
  /** Shown by some browsers. Default: `issuer`. */
  rpName?: string;
  /** The origin(s) of the pages that run the ceremonies, e.g. `https://example.com`. */
  origin: string | readonly string[];
  /** The FIDO U2F app id of raw U2F keys (native clients). Default: the first origin. */
  appId?: string;
}

/** The checked, frozen options a registry runs with (`registry.config`). */
export interface RegistryConfig {
  readonly store: RegistryStore;
  readonly keys: KeyProvider;
  readonly clock: Clock;
  readonly notifier: Notifier | undefined;
  readonly issuer: string;
  readonly maxFailures: number;
  readonly backoffAfterFailures: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly window: number;
  readonly enableWindow: number;
  readonly resyncWindow: number;
  readonly pendingTtlMs: number;
  readonly maxDevicesPerUser: number;
  readonly recoveryCodeCount: number;
  readonly maxRecoveryCodeFailures: number;
  readonly recoverySessionTtlMs: number;
  readonly recoveryMaxAttempts: number;
  readonly maxRecoveryStarts: number;
  readonly recoveryStartWindowMs: number;
  readonly recoveryStartIntervalMs: number;
  readonly allowMemberSelfRecovery: boolean;
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  readonly period: number;
  readonly keyCacheSize: number;
  readonly webauthn: Readonly<{ rpId: string; rpName: string; origins: readonly string[]; appId: string }> | undefined;
  readonly challengeTtlMs: number;
  readonly auditSigner: AuditSigner | undefined;
}

function relyingParty(value: unknown, issuer: string): RegistryConfig['webauthn'] {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new TypeError('webauthn must be { rpId, origin, rpName? }');
  const { rpId, rpName, origin, appId } = value;
  if (typeof rpId !== 'string' || !/^[a-z0-9.-]{1,253}$/i.test(rpId)) {
    throw new TypeError('webauthn.rpId must be a domain name such as example.com');
  }
  const origins = typeof origin === 'string' ? [origin] : origin;
  if (!Array.isArray(origins) || origins.length === 0)
    throw new TypeError('webauthn.origin must be an origin or a list of them');
  for (const entry of origins) {
    if (typeof entry !== 'string' || !/^https?:\/\/[^/\s]+$/.test(entry)) {
      throw new TypeError('webauthn.origin must be origins such as https://example.com (scheme and host, no path)');
    }
  }
  if (appId !== undefined && (typeof appId !== 'string' || !/^https:\/\/[^\s]+$/.test(appId))) {
    throw new TypeError('webauthn.appId must be an https URL (the FIDO U2F app id)');
  }
  return Object.freeze({
    rpId,
    rpName: rpName === undefined ? issuer : assertName(rpName, 'webauthn.rpName'),
    origins: Object.freeze([...origins] as string[]),
    appId: appId ?? (origins[0] as string),
  });
}

function hasMethods(value: unknown, name: string, methods: string[]): void {
  if (!isRecord(value)) throw new TypeError(`${name} is required`);
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function') {
      throw new TypeError(`${name} must have a ${method}() method`);
    }
  }
}

/** Every table of the store with every method of the contract, and `transaction`. */
function checkStore(store: unknown): void {
  hasMethods(store, 'store', ['transaction']);
  for (const [table, methods] of Object.entries(STORE_METHODS)) {
    hasMethods((store as Record<string, unknown>)[table], `store.${table}`, [...methods]);
  }
}

export function resolveConfig(options: RegistryOptions): RegistryConfig {
  if (!isRecord(options)) throw new TypeError('options must be an object');
  checkStore(options.store);
  hasMethods(options.keys, 'keys', ['currentKeyId', 'getKey']);
  if (options.clock !== undefined) hasMethods(options.clock, 'clock', ['now']);
  if (options.notifier !== undefined) hasMethods(options.notifier, 'notifier', ['send']);
  if (options.auditSigner !== undefined) {
    hasMethods(options.auditSigner, 'auditSigner', ['sign']);
    if (typeof options.auditSigner.keyId !== 'string' || options.auditSigner.keyId === '') {
      throw new TypeError('auditSigner.keyId must be a non-empty string');
    }
  }
  const algorithm = algorithmOption(options.algorithm);
  // New virtual devices go to authenticator apps, which compute RFC 6238's three HMACs only.
  if (!isRfc6238Algorithm(algorithm)) {
    throw new RangeError(
      `algorithm must be one of ${RFC_6238_ALGORITHMS.join(', ')} (what authenticator apps compute)`,
    );
  }
  if (options.allowMemberSelfRecovery !== undefined && typeof options.allowMemberSelfRecovery !== 'boolean') {
    throw new TypeError('allowMemberSelfRecovery must be a boolean');
  }
  const backoffBaseMs = integer(options.backoffBaseMs, 'backoffBaseMs', 1000, 0, 3_600_000);
  const recoveryStartWindowMs = integer(
    options.recoveryStartWindowMs,
    'recoveryStartWindowMs',
    3_600_000,
    60_000,
    604_800_000,
  );
  const issuer = options.issuer === undefined ? 'mfakit' : assertName(options.issuer, 'issuer');
  return Object.freeze({
    store: options.store,
    keys: options.keys,
    clock: options.clock ?? systemClock,
    notifier: options.notifier,
    issuer,
    maxFailures: integer(options.maxFailures, 'maxFailures', 10, 1, MAX_FAILURES_CAP),
    backoffAfterFailures: integer(options.backoffAfterFailures, 'backoffAfterFailures', 3, 1, MAX_FAILURES_CAP),
    backoffBaseMs,
    backoffMaxMs: integer(
      options.backoffMaxMs,
      'backoffMaxMs',
      Math.max(30_000, backoffBaseMs),
      backoffBaseMs,
      86_400_000,
    ),
    window: integer(options.window, 'window', 1, 0, 10),
    enableWindow: integer(options.enableWindow, 'enableWindow', 3, 0, 20),
    resyncWindow: integer(options.resyncWindow, 'resyncWindow', 20, 1, 100),
    pendingTtlMs: integer(options.pendingTtlMs, 'pendingTtlMs', 600_000, 1000, 86_400_000),
    maxDevicesPerUser: integer(options.maxDevicesPerUser, 'maxDevicesPerUser', 8, 1, 64),
    recoveryCodeCount: integer(options.recoveryCodeCount, 'recoveryCodeCount', 10, 1, 100),
    maxRecoveryCodeFailures: integer(
      options.maxRecoveryCodeFailures,
      'maxRecoveryCodeFailures',
      10,
      1,
      MAX_FAILURES_CAP,
    ),
    recoverySessionTtlMs: integer(options.recoverySessionTtlMs, 'recoverySessionTtlMs', 900_000, 60_000, 86_400_000),
    recoveryMaxAttempts: integer(options.recoveryMaxAttempts, 'recoveryMaxAttempts', 5, 1, 20),
    maxRecoveryStarts: integer(options.maxRecoveryStarts, 'maxRecoveryStarts', 5, 1, 100),
    recoveryStartWindowMs,
    recoveryStartIntervalMs: integer(
      options.recoveryStartIntervalMs,
      'recoveryStartIntervalMs',
      Math.min(60_000, recoveryStartWindowMs),
      0,
      recoveryStartWindowMs,
    ),
    allowMemberSelfRecovery: options.allowMemberSelfRecovery ?? false,
    algorithm,
    digits: integer(options.digits, 'digits', 6, 6, 8),
    period: integer(options.period, 'period', 30, 10, 300),
    keyCacheSize: integer(options.keyCacheSize, 'keyCacheSize', 10_000, 0, 10_000_000),
    webauthn: relyingParty(options.webauthn, issuer),
    challengeTtlMs: integer(options.challengeTtlMs, 'challengeTtlMs', 300_000, 30_000, 900_000),
    auditSigner: options.auditSigner,
  });
}

/** Back-off before the next attempt after `failureCount` consecutive failures (0 below the threshold). */
export function backoffDelay(config: RegistryConfig, failureCount: number): number {
  if (failureCount < config.backoffAfterFailures) return 0;
  const doublings = Math.min(failureCount - config.backoffAfterFailures, 30);
  return Math.min(config.backoffBaseMs * 2 ** doublings, config.backoffMaxMs);
}
