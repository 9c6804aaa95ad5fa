/**
 * @module
 * `verifySecurityKeyRegistration`: checks a WebAuthn registration response
 * (`RegistrationResponseJSON`, WebAuthn Level 3 §7.1) from a security key and returns the
 * credential to store. Client data, RP ID and user presence are checked here with typed
 * refusals; the attestation statement (`fido-u2f` §8.6, `packed` §8.2, `none` §8.7) and the
 * rest of §7.1 by @simplewebauthn/server's `verifyRegistrationResponse`. The attestation
 * certificate's chain is only checked against the roots configured in SimpleWebAuthn's
 * `SettingsService` (none by default): attestation trust is the caller's policy.
 */
import type { MfaError } from '@mfakit/core';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { decodeAttestationObject } from '@simplewebauthn/server/helpers';
import { isBytes } from '../bytes.js';
import { parseDerSignature } from '../ecdsa-signature.js';
import {
  type CeremonyExpectation,
  checkAuthenticatorData,
  checkClientData,
  decodeField,
  normaliseExpectation,
} from './ceremony-checks.js';
import { type WebAuthnErrorCode, webAuthnError } from './errors.js';

/** The formats a security key sends: U2F keys `fido-u2f`, FIDO2 keys `packed`, and `none` when the browser strips attestation. */
export const SECURITY_KEY_ATTESTATION_FORMATS = ['fido-u2f', 'packed', 'none'] as const;

/**
 * What `verifySecurityKeyRegistration` checks a response against: the challenge, origins and RP IDs
 * of `CeremonyExpectation`, and the attestation formats to accept.
 */
export interface SecurityKeyRegistrationExpectation extends CeremonyExpectation {
  /** Attestation formats to accept. Default `SECURITY_KEY_ATTESTATION_FORMATS`. */
  readonly attestationFormats?: readonly string[];
}

/** What the server stores for a registered security key. */
export interface SecurityKeyCredential {
  /** Credential id, base64url (for a U2F key, its key handle). */
  readonly id: string;
  /** Credential public key, COSE_Key (RFC 9052 §7). */
  readonly publicKey: Uint8Array;
  /** The sign counter at registration. */
  readonly signCount: number;
  /**
   * Transports the browser reported (e.g. `usb`, `nfc`), as reported and unchecked: send them back
   * in `allowCredentials` as a hint.
   */
  readonly transports: readonly string[];
  /** AAGUID, as 8-4-4-4-12 hex (all zero for U2F keys). */
  readonly aaguid: string;
  /** The attestation statement format the key answered with (`fido-u2f`, `packed` or `none`). */
  readonly attestationFormat: string;
  /** Whether the UV flag was set at registration (false for U2F keys, which have no PIN). */
  readonly userVerified: boolean;
}

/** The shape of a registration response; structural so any client's JSON fits. */
export interface RegistrationResponseLike {
  readonly id: string;
  readonly rawId: string;
  readonly type: string;
  readonly response: {
    readonly clientDataJSON: string;
    readonly attestationObject: string;
    readonly transports?: readonly string[] | undefined;
  };
  readonly clientExtensionResults?: object | undefined;
  readonly authenticatorAttachment?: string | undefined;
}

/**
 * `fido-u2f` statements (§8.6) and `packed` ones with alg ES256 (§8.2) carry a P-256 signature
 * in DER: it must be one strict DER signature, as in the assertion check — the library alone
 * accepts bytes after it.
 */
function hasStrictEs256Signature(format: string, statement: unknown): boolean {
  if (!(statement instanceof Map)) return format === 'none';
  const es256 = format === 'fido-u2f' || (format === 'packed' && statement.get('alg') === -7);
  if (!es256) return true;
  const signature: unknown = statement.get('sig');
  return isBytes(signature) && typeof parseDerSignature(signature, { requireLowS: false }) !== 'string';
}

const MESSAGES: Record<WebAuthnErrorCode, string> = {
  webauthn_malformed_response: 'The registration response is not a well-formed WebAuthn response.',
  webauthn_wrong_type: 'The client data is not for a registration (webauthn.create).',
  webauthn_wrong_challenge: 'The client data does not carry the challenge issued for this registration.',
  webauthn_wrong_origin: 'The client data names an origin the server does not accept.',
  webauthn_wrong_rp_id: 'The authenticator data is for another RP ID.',
  webauthn_user_not_present: 'The security key was not touched (user presence flag clear).',
  webauthn_unsupported_attestation: 'The attestation format is not one accepted for security keys.',
  webauthn_bad_attestation: 'The attestation statement does not verify.',
  webauthn_wrong_credential: 'The response is for another credential.',
  webauthn_bad_signature: 'The signature does not verify.',
  webauthn_counter_regression: 'The sign counter did not grow.',
};

function refuse(code: WebAuthnErrorCode, cause?: unknown): MfaError<WebAuthnErrorCode> {
  return webAuthnError(code, MESSAGES[code], cause);
}

/**
 * Verifies a security key's registration (WebAuthn Level 3 §7.1) and returns the credential to
 * store. Client data (type `webauthn.create`, challenge, origin), attestation format, rpIdHash,
 * UP flag and the strict DER form of an ES256 attestation signature are checked here; the
 * attestation statement and the rest by @simplewebauthn/server. User presence is required, user
 * verification is not (security keys without a PIN).
 *
 * Security: attestation is verified but not trusted — its certificate chain is checked only
 * against roots configured in SimpleWebAuthn's `SettingsService` (none by default), so a
 * self-signed or `none` attestation passes. Deciding which makers to trust is the caller's policy.
 *
 * @throws `MfaError` with a `WebAuthnErrorCode` when refused (`webauthn_malformed_response`,
 * `webauthn_wrong_type`, `webauthn_wrong_challenge`, `webauthn_wrong_origin`,
 * `webauthn_unsupported_attestation`, `webauthn_wrong_rp_id`, `webauthn_user_not_present`,
 * `webauthn_bad_attestation`); `TypeError` when `expected` is malformed.
 */
export async function verifySecurityKeyRegistration(
  response: RegistrationResponseLike,
  expected: SecurityKeyRegistrationExpectation,
): Promise<SecurityKeyCredential> {
  const normalised = normaliseExpectation(expected);
  const formats = expected.attestationFormats ?? SECURITY_KEY_ATTESTATION_FORMATS;
  if (
    typeof response !== 'object' ||
    response === null ||
    typeof response.response !== 'object' ||
    response.response === null
  ) {
    throw refuse('webauthn_malformed_response');
  }
  if (response.type !== 'public-key' || typeof response.id !== 'string' || response.id !== response.rawId) {
    throw refuse('webauthn_malformed_response');
  }
  const clientDataProblem = checkClientData(response.response.clientDataJSON, 'webauthn.create', normalised);
  if (clientDataProblem !== undefined) throw refuse(clientDataProblem);
  const attestationObject = decodeField(response.response.attestationObject);
  if (attestationObject === undefined) throw refuse('webauthn_malformed_response');
  let format: unknown;
  let authData: unknown;
  let statement: unknown;
  try {
    const decoded = decodeAttestationObject(attestationObject);
    format = decoded.get('fmt');
    authData = decoded.get('authData');
    statement = decoded.get('attStmt');
  } catch (error) {
    throw refuse('webauthn_malformed_response', error);
  }
  if (typeof format !== 'string' || !isBytes(authData)) throw refuse('webauthn_malformed_response');
  if (!formats.includes(format)) throw refuse('webauthn_unsupported_attestation');
  const authDataProblem = checkAuthenticatorData(authData, normalised);
  if (authDataProblem !== undefined) throw refuse(authDataProblem);
  if (!hasStrictEs256Signature(format, statement)) throw refuse('webauthn_bad_attestation');

  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      // The library's own JSON type; the checks above have established the fields it reads.
      response: response as Parameters<typeof verifyRegistrationResponse>[0]['response'],
      expectedChallenge: normalised.challenge,
      expectedOrigin: normalised.origins,
      expectedRPID: normalised.rpIds,
      // Security keys without a PIN do not verify the user; presence is required above.
      requireUserVerification: false,
    });
  } catch (error) {
    throw refuse('webauthn_bad_attestation', error);
  }
  if (!verification.verified) throw refuse('webauthn_bad_attestation');
  const info = verification.registrationInfo;
  return {
    id: info.credential.id,
    publicKey: info.credential.publicKey,
    signCount: info.credential.counter,
    transports: [...(response.response.transports ?? [])],
    aaguid: info.aaguid,
    attestationFormat: info.fmt,
    userVerified: info.userVerified,
  };
}
