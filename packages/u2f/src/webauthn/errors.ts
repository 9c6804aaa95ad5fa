/**
 * @module
 * Refusal codes of the WebAuthn security-key checks (`@mfakit/u2f/webauthn`). A refused
 * registration throws core's `MfaError` with one of them; a refused assertion is the result
 * `{ ok: false, reason }`.
 */
import { MfaError } from '@mfakit/core';

/**
 * Every refusal code of `@mfakit/u2f/webauthn`: the `code` of the `MfaError` that
 * `verifySecurityKeyRegistration` throws, and the `reason` of a refused
 * `verifySecurityKeyAssertion`. Each entry's comment says when it is used.
 */
export const WEBAUTHN_ERROR_CODES = [
  /** Not a WebAuthn response: missing fields, bad base64url, client data not JSON, authenticator data unreadable. */
  'webauthn_malformed_response',
  /** clientDataJSON.type is not `webauthn.create` (registration) or `webauthn.get` (assertion). */
  'webauthn_wrong_type',
  /** clientDataJSON.challenge is not the challenge the server issued for this ceremony. */
  'webauthn_wrong_challenge',
  /** clientDataJSON.origin is not an origin the server accepts. */
  'webauthn_wrong_origin',
  /** The authenticator data's rpIdHash is not the SHA-256 of an accepted RP ID. */
  'webauthn_wrong_rp_id',
  /** The UP flag is clear: nobody touched the key. */
  'webauthn_user_not_present',
  /** The attestation format is not one the caller accepts (default: fido-u2f, packed, none). */
  'webauthn_unsupported_attestation',
  /** The attestation statement does not verify. */
  'webauthn_bad_attestation',
  /** The assertion is for another credential than the one given. */
  'webauthn_wrong_credential',
  /** The assertion signature does not verify with the stored public key. */
  'webauthn_bad_signature',
  /** A valid signature whose sign counter did not grow (both zero excepted): a cloned key, or a replay. */
  'webauthn_counter_regression',
] as const;

/** One of `WEBAUTHN_ERROR_CODES`: why a WebAuthn response was refused. */
export type WebAuthnErrorCode = (typeof WEBAUTHN_ERROR_CODES)[number];

export function webAuthnError(code: WebAuthnErrorCode, message: string, cause?: unknown): MfaError<WebAuthnErrorCode> {
  return new MfaError<WebAuthnErrorCode>(code, message, cause === undefined ? undefined : { cause });
}
