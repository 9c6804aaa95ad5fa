/**
 * @module
 * `verifySecurityKeyAssertion`: checks a WebAuthn authentication response
 * (`AuthenticationResponseJSON`, WebAuthn Level 3 §7.2) against a stored security-key
 * credential. A refusal is a result with a typed reason, as for a wrong one-time code. Client
 * data, credential id, RP ID and user presence are checked here; the signature by
 * @simplewebauthn/server's `verifyAuthenticationResponse`; the sign counter (§6.1.1) last, so
 * only a response with a valid signature can raise the clone signal `webauthn_counter_regression`.
 * The caller still advances the stored counter with an atomic compare-and-set.
 */
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';
import { base64UrlDecode } from '../base64url.js';
import { bytesEqual, isBytes } from '../bytes.js';
import { parseDerSignature } from '../ecdsa-signature.js';
import {
  type CeremonyExpectation,
  checkAuthenticatorData,
  checkClientData,
  decodeField,
  normaliseExpectation,
} from './ceremony-checks.js';
import type { WebAuthnErrorCode } from './errors.js';

/**
 * The stored credential an assertion is checked against: the `id` and `publicKey` that
 * `verifySecurityKeyRegistration` returned, and the last sign counter accepted for it.
 */
export interface StoredSecurityKey {
  /** Credential id, base64url. */
  readonly id: string;
  /** COSE_Key public key from `verifySecurityKeyRegistration`. */
  readonly publicKey: Uint8Array;
  /** The last sign counter accepted for this credential. */
  readonly signCount: number;
}

/**
 * What `verifySecurityKeyAssertion` checks a response against: the challenge, origins and RP IDs of
 * `CeremonyExpectation`, and the credential the response must be for.
 */
export interface SecurityKeyAssertionExpectation extends CeremonyExpectation {
  /**
   * The credential the response must be for: a response with another credential id is
   * `webauthn_wrong_credential`.
   */
  readonly credential: StoredSecurityKey;
}

/**
 * What `verifySecurityKeyAssertion` found.
 *
 * - `ok: true`: the signature verifies and the counter grew (or the key keeps none: both 0).
 *   `signCount` is the new counter: store it with a compare-and-set against the value passed in,
 *   so that of two concurrent sign-ins with one response only one wins. `userVerified` is the
 *   UV flag (false for U2F keys: they have no PIN).
 * - `ok: false`: `reason` says why. `webauthn_counter_regression` comes only after a valid
 *   signature: the key may be cloned (WebAuthn Level 3 §6.1.1) — the caller decides whether to
 *   lock the credential.
 */
export type SecurityKeyAssertionResult =
  | { readonly ok: true; readonly signCount: number; readonly userVerified: boolean }
  | { readonly ok: false; readonly reason: WebAuthnErrorCode };

/** The shape of an authentication response; structural so any client's JSON fits. */
export interface AuthenticationResponseLike {
  readonly id: string;
  readonly rawId: string;
  readonly type: string;
  readonly response: {
    readonly clientDataJSON: string;
    readonly authenticatorData: string;
    readonly signature: string;
    readonly userHandle?: string | undefined;
  };
  readonly clientExtensionResults?: object | undefined;
  readonly authenticatorAttachment?: string | undefined;
}

/** COSE alg -7 (ES256, RFC 9053 §2.1) with crv P-256: the only kind a U2F key has. */
function isEs256(coseKey: Uint8Array): boolean {
  try {
    const key = decodeCredentialPublicKey(new Uint8Array(coseKey)) as unknown as ReadonlyMap<number, unknown>;
    return key.get(3) === -7 && key.get(-1) === 1;
  } catch {
    return false;
  }
}

function refuse(reason: WebAuthnErrorCode): SecurityKeyAssertionResult {
  return { ok: false, reason };
}

/**
 * Verifies a security key's assertion for `expected.credential` (WebAuthn Level 3 §7.2): the
 * credential id, client data (type `webauthn.get`, challenge, origin), rpIdHash and UP flag with
 * typed reasons; for an ES256 key, one strict DER signature; then the signature with the stored
 * public key (@simplewebauthn/server) and last the sign counter. User verification is not
 * required. Nothing in `response` makes it reject: every refusal is `{ ok: false, reason }`. It
 * stores nothing — the caller saves the new `signCount`.
 *
 * @throws `TypeError` (as a rejected promise) when `expected` is malformed.
 */
export async function verifySecurityKeyAssertion(
  response: AuthenticationResponseLike,
  expected: SecurityKeyAssertionExpectation,
): Promise<SecurityKeyAssertionResult> {
  const normalised = normaliseExpectation(expected);
  const { credential } = expected;
  if (
    typeof credential?.id !== 'string' ||
    !isBytes(credential.publicKey) ||
    !Number.isInteger(credential.signCount) ||
    credential.signCount < 0
  ) {
    throw new TypeError('expected.credential must be { id: base64url, publicKey: Uint8Array, signCount: integer ≥ 0 }');
  }
  if (
    typeof response !== 'object' ||
    response === null ||
    typeof response.response !== 'object' ||
    response.response === null
  ) {
    return refuse('webauthn_malformed_response');
  }
  if (response.type !== 'public-key' || typeof response.id !== 'string' || response.id !== response.rawId) {
    return refuse('webauthn_malformed_response');
  }
  const responseId = base64UrlDecode(response.id);
  const storedId = base64UrlDecode(credential.id);
  if (responseId === undefined) return refuse('webauthn_malformed_response');
  if (storedId === undefined || !bytesEqual(responseId, storedId)) return refuse('webauthn_wrong_credential');
  const clientDataProblem = checkClientData(response.response.clientDataJSON, 'webauthn.get', normalised);
  if (clientDataProblem !== undefined) return refuse(clientDataProblem);
  const authData = decodeField(response.response.authenticatorData);
  const signature = decodeField(response.response.signature);
  if (authData === undefined || signature === undefined) return refuse('webauthn_malformed_response');
  // ES256 signatures (WebAuthn §6.5.6): one strict DER signature with r, s in range. The library
  // would also accept trailing bytes after the DER, which makes one signature many.
  if (isEs256(credential.publicKey) && typeof parseDerSignature(signature, { requireLowS: false }) === 'string') {
    return refuse('webauthn_malformed_response');
  }
  const authDataProblem = checkAuthenticatorData(authData, normalised);
  if (authDataProblem !== undefined) return refuse(authDataProblem);

  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response: response as Parameters<typeof verifyAuthenticationResponse>[0]['response'],
      expectedChallenge: normalised.challenge,
      expectedOrigin: normalised.origins,
      expectedRPID: normalised.rpIds,
      // Counter 0: the library compares counters before it checks the signature; we compare after.
      credential: { id: response.id, publicKey: new Uint8Array(credential.publicKey), counter: 0 },
      requireUserVerification: false,
    });
  } catch {
    return refuse('webauthn_bad_signature');
  }
  if (!verification.verified) return refuse('webauthn_bad_signature');
  const signCount = verification.authenticationInfo.newCounter;
  // §6.1.1: a counter that does not grow is a clone signal, unless the key has no counter (both 0).
  if ((signCount !== 0 || credential.signCount !== 0) && signCount <= credential.signCount) {
    return refuse('webauthn_counter_regression');
  }
  return { ok: true, signCount, userVerified: verification.authenticationInfo.userVerified };
}
