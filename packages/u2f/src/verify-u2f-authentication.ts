/**
 * @module
 * `verifyU2fAuthentication`: checks an authentication response message (FIDO U2F Raw Message
 * Formats v1.2 §5.4) against the stored user public key, the app id and the client data the
 * server expects. A refusal is a result, as for a wrong one-time code; the sign counter is
 * returned for the caller's compare-and-set (a counter that does not grow signals a cloned key).
 *
 * Message (§5.4): user presence (1) ‖ counter (4, big-endian) ‖ signature (DER), the signature
 * made with the user private key over application parameter ‖ user presence ‖ counter ‖
 * challenge parameter.
 */
import { applicationParameter } from './app-param.js';
import { assertBytes, concatBytes, readUint32BigEndian } from './bytes.js';
import { assertExpectation, checkClientData, U2F_AUTHENTICATION_TYP } from './client-data.js';
import { MAX_DER_SIGNATURE_BYTES, MIN_DER_SIGNATURE_BYTES, parseDerSignature } from './ecdsa-signature.js';
import { type U2fErrorCode, u2fError } from './errors.js';
import { isP256PublicKey } from './p256-public-key.js';
import { type P256Verify, resolveVerify } from './p256-verify.js';

/** §5.4: "Bit 0 is set to 1, which means that user presence was verified"; bits 1–7 are reserved (0). */
const USER_PRESENCE_BIT = 0x01;

/**
 * What `verifyU2fAuthentication` checks an authentication response against: the app id, the client
 * data with the challenge and origin it must carry, and the registered credential's public key.
 */
export interface VerifyU2fAuthenticationOptions {
  /**
   * The app id the credential was registered for, exactly as the client used it: its SHA-256 is the
   * application parameter the key signed (§5.1).
   */
  readonly appId: string;
  /** The client data bytes exactly as the client sent them (JSON, UTF-8; not base64). */
  readonly clientData: Uint8Array;
  /** The challenge the server issued for this sign-in: bytes, or the base64url text sent. */
  readonly challenge: Uint8Array | string;
  /** The origin (or the app id's trusted facets) the client data must name. */
  readonly origin: string | readonly string[];
  /** The registered credential: its user public key (0x04 ‖ x ‖ y) from `verifyU2fRegistration`. */
  readonly credential: { readonly publicKey: Uint8Array };
  /** Default true: a response without user presence is refused (`u2f_user_not_present`). */
  readonly requireUserPresence?: boolean;
  /** Refuse signatures whose s is above n/2. Default false (see `verifyU2fRegistration`). */
  readonly requireLowS?: boolean;
  /** The P-256 ECDSA check. Default @noble/curves (runs everywhere); on Node, `nodeP256Verify` from `@mfakit/u2f/node` is faster. */
  readonly verifyP256?: P256Verify;
}

/**
 * What `verifyU2fAuthentication` found.
 *
 * - `ok: true`: the signature verifies. `counter` is the key's sign counter (0 to 2^32 − 1) and
 *   `userPresent` its user-presence bit (false only with `requireUserPresence: false`). The
 *   counter is not compared here: store it with a compare-and-set against the stored one, and
 *   treat a counter that did not grow as a sign of a cloned key.
 * - `ok: false`: `reason` says why; nothing was accepted.
 */
export type U2fAuthenticationResult =
  | { readonly ok: true; readonly counter: number; readonly userPresent: boolean }
  | { readonly ok: false; readonly reason: U2fErrorCode };

function refuse(reason: U2fErrorCode): U2fAuthenticationResult {
  return { ok: false, reason };
}

/**
 * Verifies a U2F authentication response message (FIDO U2F Raw Message Formats §5.4): its layout
 * and strict DER signature, the client data (`typ` navigator.id.getAssertion, challenge, origin),
 * then the signature over application parameter ‖ user presence ‖ counter ‖ challenge parameter
 * with the stored public key, then user presence. Returns `{ ok: true, counter, userPresent }`
 * or `{ ok: false, reason }` (a `U2fErrorCode`): a refused sign-in is a result, not an error.
 *
 * Security: the sign counter is returned, not compared — the caller compares and stores it
 * atomically. The challenge must be single-use.
 *
 * @throws `TypeError` for arguments of the wrong type; `MfaError` with code `u2f_bad_public_key`
 * when the stored public key is not a P-256 point (a storage fault, not the client's).
 */
export function verifyU2fAuthentication(
  message: Uint8Array,
  options: VerifyU2fAuthenticationOptions,
): U2fAuthenticationResult {
  assertBytes(message, 'message');
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required');
  assertBytes(options.clientData, 'options.clientData');
  assertBytes(options.credential?.publicKey, 'options.credential.publicKey');
  assertExpectation(options);
  const verifyP256 = resolveVerify(options.verifyP256);
  if (!isP256PublicKey(options.credential.publicKey)) {
    throw u2fError('u2f_bad_public_key', 'The stored public key is not an uncompressed P-256 point on the curve.');
  }
  const appParam = applicationParameter(options.appId);

  if (message.length < 5 + MIN_DER_SIGNATURE_BYTES || message.length > 5 + MAX_DER_SIGNATURE_BYTES) {
    return refuse('u2f_malformed_message');
  }
  const presence = message[0] as number;
  if ((presence & ~USER_PRESENCE_BIT) !== 0) return refuse('u2f_malformed_message');
  const signature = parseDerSignature(message.subarray(5), { requireLowS: options.requireLowS === true });
  if (signature === 'malformed') return refuse('u2f_malformed_signature');
  if (signature === 'out_of_range' || signature === 'high_s') return refuse('u2f_signature_out_of_range');

  const challengeParam = checkClientData(options.clientData, { ...options, typ: U2F_AUTHENTICATION_TYP });
  if (typeof challengeParam === 'string') return refuse(challengeParam);

  const signed = concatBytes(appParam, message.subarray(0, 5), challengeParam);
  if (!verifyP256(signature.compact, signed, options.credential.publicKey)) {
    return refuse('u2f_bad_signature');
  }
  const userPresent = (presence & USER_PRESENCE_BIT) !== 0;
  if (!userPresent && options.requireUserPresence !== false) return refuse('u2f_user_not_present');
  return { ok: true, counter: readUint32BigEndian(message, 1), userPresent };
}
