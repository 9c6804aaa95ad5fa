/**
 * @module
 * Error codes of @mfakit/u2f. A refused registration throws core's `MfaError` with one of these
 * codes; a refused authentication is a result (`{ ok: false, reason }`) carrying the same codes.
 * Messages say what was wrong with the message, never echo its bytes (key handles and client data
 * are the caller's to log, if they choose).
 */
import { MfaError } from '@mfakit/core';

/**
 * Every refusal code of the raw U2F verifiers: the `code` of the `MfaError` that
 * `verifyU2fRegistration` throws, and the `reason` of a refused `verifyU2fAuthentication`. Each
 * entry's comment says when it is used.
 */
export const U2F_ERROR_CODES = [
  /** Wrong length, truncated, oversized, wrong reserved byte: not a U2F raw message. */
  'u2f_malformed_message',
  /** The ECDSA signature is not one strict DER `SEQUENCE { INTEGER r, INTEGER s }`. */
  'u2f_malformed_signature',
  /** r or s is zero or not below the group order n, or s is above n/2 where low-S is required. */
  'u2f_signature_out_of_range',
  /** The attestation certificate is not a DER X.509 certificate with a P-256 public key. */
  'u2f_bad_certificate',
  /** The user public key is not an uncompressed point on P-256. */
  'u2f_bad_public_key',
  /** The signature does not verify: wrong key, wrong app id, wrong client data, or altered bytes. */
  'u2f_bad_signature',
  /** The client data is not a JSON object with string `typ`, `challenge` and `origin`. */
  'u2f_bad_client_data',
  /** The client data's `typ` is not the one of this ceremony (registration vs authentication). */
  'u2f_wrong_client_data_type',
  /** The client data's challenge is not the challenge the server issued. */
  'u2f_wrong_challenge',
  /** The client data's origin is not one the server accepts. */
  'u2f_wrong_origin',
  /** The signature is valid but the key reports that no user touched it. */
  'u2f_user_not_present',
] as const;

/** One of `U2F_ERROR_CODES`: why a U2F message was refused. */
export type U2fErrorCode = (typeof U2F_ERROR_CODES)[number];

/**
 * The `MfaError` thrown for a refused U2F registration (or a stored public key that is not a P-256
 * point): `code` is a `U2fErrorCode`. Its message names the problem and never contains the
 * message, key handle or client data bytes.
 */
export type U2fError = MfaError<U2fErrorCode>;

export function u2fError(code: U2fErrorCode, message: string, cause?: unknown): U2fError {
  return new MfaError<U2fErrorCode>(code, message, cause === undefined ? undefined : { cause });
}
