/**
 * @module
 * Error codes of @mfakit/otpauth. Everything is raised as core's `MfaError` with one of these
 * codes; messages say what to fix and never contain a secret, a password or a whole URI (the
 * `secret=` parameter of a URI is the secret).
 */
import { MfaError } from '@mfakit/core';

/** Every `code` an `MfaError` from @mfakit/otpauth can carry. */
export const OTPAUTH_ERROR_CODES = [
  /** Not an `otpauth://` / `otpauth-migration://` URI, or its structure/percent-encoding is broken. */
  'invalid_uri',
  /** The otp type is neither `totp` nor `hotp`. */
  'unsupported_type',
  /** The label (issuer and account name) is missing or ambiguous. */
  'invalid_label',
  /** The label's issuer prefix and the `issuer` parameter disagree. */
  'issuer_mismatch',
  /** The secret is missing, empty or not base32. */
  'invalid_secret',
  /** An algorithm other than SHA1, SHA256, SHA512. */
  'unsupported_algorithm',
  /** Digits outside 6–8. */
  'invalid_digits',
  /** TOTP period not a positive whole number of seconds. */
  'invalid_period',
  /** HOTP counter missing or not a non-negative safe integer. */
  'invalid_counter',
  /** The text does not fit in one QR code. */
  'qr_too_large',
  /** The `data` of a Google Authenticator migration URI is not a valid MigrationPayload. */
  'invalid_migration_payload',
  /** Migration batches that do not belong together, or some are missing. */
  'incomplete_migration',
  /** An account that the Google Authenticator transfer format cannot carry. */
  'migration_unsupported_account',
  /** Not an Aegis vault file, or one this version does not understand. */
  'invalid_aegis_vault',
  /** The Aegis vault is encrypted and no password was given. */
  'aegis_password_required',
  /** No password slot of the Aegis vault opens with the password given. */
  'aegis_bad_password',
  /** A 2FAS, andOTP, FreeOTP+ or Bitwarden export that is not what that app writes, or encrypted. */
  'invalid_export_file',
] as const;

/** The `code` of every `MfaError` @mfakit/otpauth throws. */
export type OtpauthErrorCode = (typeof OTPAUTH_ERROR_CODES)[number];

/** `MfaError('invalid_aegis_vault')`: the one way the Aegis reader reports a file it cannot read. */
export function invalidAegisVault(message: string): MfaError<OtpauthErrorCode> {
  return otpauthError('invalid_aegis_vault', message);
}

export function otpauthError(code: OtpauthErrorCode, message: string, cause?: unknown): MfaError<OtpauthErrorCode> {
  return new MfaError<OtpauthErrorCode>(code, message, cause === undefined ? undefined : { cause });
}
