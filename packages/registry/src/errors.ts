/**
 * @module
 * Error codes of `@mfakit/registry`, as one list with a derived type (a `Record<RegistryErrorCode,
 * …>` map, e.g. to HTTP statuses, is checked for completeness by the compiler). A wrong, replayed,
 * malformed or throttled code is a *result*; an `MfaError` means the call was refused before
 * anything changed in the store (unknown ids, a device in the wrong state, oversize input, a full
 * device list). The one refusal that writes is `recovery_rate_limited`: it appends its audit
 * record, since a burst of refused recovery starts is itself a security event.
 */
import { MfaError } from '@mfakit/core';

/** Every `MfaError` code the registry throws. */
export const REGISTRY_ERROR_CODES = [
  /** A string argument is empty, too long, reserved, or not in the expected form. */
  'invalid_input',
  'unknown_user',
  'user_exists',
  /** The account does not exist (or is not the caller's). */
  'unknown_account',
  'unknown_device',
  /** The device exists but its state or kind does not allow this operation. */
  'device_state',
  /** The pending device was not enabled within the pending lifetime; create a new one. */
  'pending_expired',
  /** The user already has the maximum number of MFA devices. */
  'device_limit',
  /** The user has no active one-time-password device to sign in with. */
  'no_active_device',
  /** No unassigned hardware token has this serial (unknown and already-assigned answer alike). */
  'unknown_serial',
  /** A seed file imports a serial that is already in the inventory. */
  'serial_exists',
  'invalid_seed_file',
  /** The acting user may not do this (e.g. an admin action by a non-root user). */
  'not_authorized',
  /** Self-service lost-device recovery is for root users; members ask their account's root. */
  'recovery_not_available',
  'unknown_recovery_session',
  /** Lost-device recovery was started too often for this user; see `retryAfterMs`. */
  'recovery_rate_limited',
  /** The key provider has no key with the id a secret was encrypted under. */
  'key_unavailable',
  /** A stored secret failed authentication (tampered, or moved to another device or user). */
  'secret_corrupt',
  /** The store could not be reached or failed; nothing was accepted (the registry fails closed). */
  'store_unavailable',
] as const;

/**
 * The `MfaError` codes every registry store shares, meaning the same whatever the database
 * (opening it, migrating it, or any call). A store's own list starts with these and adds its
 * specific ones (`SQLITE_STORE_ERROR_CODES`: `store_corrupt`; `POSTGRES_STORE_ERROR_CODES`:
 * `store_auth_failed`); the driver's error, if any, is the `cause`.
 */
export const STORE_ERROR_CODES = [
  /**
   * The database could not be reached, read or written, or failed the call (I/O error, lost
   * connection, timeout, locked, closed store); nothing was accepted (the registry fails closed).
   */
  'store_unavailable',
  /** The database or schema belongs to another application: nothing was created or changed in it. */
  'store_foreign',
  /** The database was migrated by a newer version of the store package than this one: upgrade the code. */
  'schema_too_new',
  /** The database needs migrations and `migrate: false` was passed: run the store's migrate command. */
  'schema_outdated',
  /** An insert named an id that exists (ids are random: a collision or a caller bug). */
  'duplicate_id',
] as const;

/** One of `STORE_ERROR_CODES`. */
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** One of `REGISTRY_ERROR_CODES`. */
export type RegistryErrorCode = (typeof REGISTRY_ERROR_CODES)[number];

/** An `MfaError` with a registry code. */
export type RegistryError = MfaError<RegistryErrorCode>;

/** A new `MfaError` with a registry code (and the cause of a foreign error). */
export function registryError(code: RegistryErrorCode, message: string, cause?: unknown): RegistryError {
  return new MfaError<RegistryErrorCode>(code, message, cause === undefined ? undefined : { cause });
}

/**
 * `recovery_rate_limited`: the call was refused because of a rate limit, and says when to retry.
 * An `MfaError` like every other refusal (`isMfaError(error, 'recovery_rate_limited')`).
 */
export class RetryLaterError extends MfaError<RegistryErrorCode> {
  /** When the call will be accepted (ms since the epoch, on the registry's clock). */
  readonly retryAt: number;
  /** `retryAt` minus the time of the refused call. */
  readonly retryAfterMs: number;

  constructor(code: RegistryErrorCode, message: string, retry: { retryAt: number; retryAfterMs: number }) {
    super(code, message);
    this.retryAt = retry.retryAt;
    this.retryAfterMs = retry.retryAfterMs;
  }
}
