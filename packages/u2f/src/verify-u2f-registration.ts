/**
 * @module
 * `verifyU2fRegistration`: checks a registration response message (FIDO U2F Raw Message Formats
 * v1.2 §4.3) against the app id and the client data the server expects, and returns what the
 * server stores: the key handle and the user public key (plus the attestation certificate, for a
 * trust decision of the caller's own).
 *
 * Message (§4.3): 0x05 ‖ user public key (65) ‖ L (1) ‖ key handle (L) ‖ attestation
 * certificate (DER) ‖ signature (DER). The signature is made with the attestation key over
 * 0x00 ‖ application parameter ‖ challenge parameter ‖ key handle ‖ user public key.
 */
import { applicationParameter } from './app-param.js';
import { MAX_ATTESTATION_CERTIFICATE_BYTES, readAttestationCertificate } from './attestation-certificate.js';
import { assertBytes, concatBytes } from './bytes.js';
import { assertExpectation, checkClientData, U2F_REGISTRATION_TYP } from './client-data.js';
import { MAX_DER_SIGNATURE_BYTES, parseDerSignature } from './ecdsa-signature.js';
import { u2fError } from './errors.js';
import { isP256PublicKey, P256_PUBLIC_KEY_BYTES } from './p256-public-key.js';
import { type P256Verify, resolveVerify } from './p256-verify.js';

/** §4.3: the first byte of a registration response, "a reserved byte [1 byte], which for legacy reasons has the value 0x05". */
export const REGISTRATION_RESERVED_BYTE = 0x05;

/** The longest message we read: every field at its largest. */
export const MAX_REGISTRATION_MESSAGE_BYTES =
  1 + P256_PUBLIC_KEY_BYTES + 1 + 255 + MAX_ATTESTATION_CERTIFICATE_BYTES + MAX_DER_SIGNATURE_BYTES;

/**
 * What `verifyU2fRegistration` checks a registration response against: the app id and the client
 * data with the challenge and origin it must carry. The challenge must be single-use: the caller
 * forgets it once a registration has used it.
 */
export interface VerifyU2fRegistrationOptions {
  /** The app id the key registered for (its SHA-256 is the application parameter). */
  readonly appId: string;
  /** The client data bytes exactly as the client sent them (JSON, UTF-8; not base64). */
  readonly clientData: Uint8Array;
  /** The challenge the server issued for this registration: bytes, or the base64url text sent. */
  readonly challenge: Uint8Array | string;
  /** The origin (or the app id's trusted facets) the client data must name. */
  readonly origin: string | readonly string[];
  /**
   * Refuse attestation signatures whose s is above n/2. Default false: U2F keys do not normalise
   * s (the specification's own example has a high s), and ECDSA malleability gives nothing here.
   */
  readonly requireLowS?: boolean;
  /** The P-256 ECDSA check. Default @noble/curves (runs everywhere); on Node, `nodeP256Verify` from `@mfakit/u2f/node` is faster. */
  readonly verifyP256?: P256Verify;
}

/**
 * A verified U2F registration: what the server stores for the new credential. Copies, not views of
 * the message.
 */
export interface U2fRegistration {
  /**
   * The key handle (1 to 255 bytes, opaque): send it back in every sign request for this
   * credential. Not a secret, but it identifies the credential.
   */
  readonly keyHandle: Uint8Array;
  /** The user public key, 0x04 ‖ x ‖ y (65 bytes). */
  readonly publicKey: Uint8Array;
  /** The attestation certificate, DER. Its chain is not checked here. */
  readonly attestationCertificate: Uint8Array;
}

/**
 * Verifies a U2F registration response message (FIDO U2F Raw Message Formats §4.3): its layout,
 * the user public key (a P-256 point), the attestation certificate (DER X.509 with a P-256 key)
 * and strict DER signature, the client data (`typ` navigator.id.finishEnrollment, challenge,
 * origin), and the attestation signature over 0x00 ‖ application parameter ‖ challenge parameter
 * ‖ key handle ‖ user public key. Returns what to store for the credential.
 *
 * Security: the attestation certificate is read but its chain is not checked — a self-signed
 * certificate passes; whether to trust the key's maker is the caller's decision.
 *
 * @throws `MfaError` with a `U2fErrorCode` when the message is refused
 * (`u2f_malformed_message`, `u2f_bad_public_key`, `u2f_bad_certificate`,
 * `u2f_malformed_signature`, `u2f_signature_out_of_range`, `u2f_bad_client_data`,
 * `u2f_wrong_client_data_type`, `u2f_wrong_challenge`, `u2f_wrong_origin`, `u2f_bad_signature`);
 * `TypeError` for arguments of the wrong type.
 */
export function verifyU2fRegistration(message: Uint8Array, options: VerifyU2fRegistrationOptions): U2fRegistration {
  assertBytes(message, 'message');
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required');
  assertBytes(options.clientData, 'options.clientData');
  assertExpectation(options);
  const verifyP256 = resolveVerify(options.verifyP256);
  const appParam = applicationParameter(options.appId);

  if (message.length > MAX_REGISTRATION_MESSAGE_BYTES) {
    throw u2fError(
      'u2f_malformed_message',
      `A registration response is at most ${MAX_REGISTRATION_MESSAGE_BYTES} bytes.`,
    );
  }
  // Shortest conceivable: header, key, length, 1-byte handle, then at least a certificate and a signature.
  if (message.length < 1 + P256_PUBLIC_KEY_BYTES + 2 || message[0] !== REGISTRATION_RESERVED_BYTE) {
    throw u2fError('u2f_malformed_message', 'Not a U2F registration response (reserved byte 0x05, then a public key).');
  }
  const publicKey = message.subarray(1, 1 + P256_PUBLIC_KEY_BYTES);
  if (!isP256PublicKey(publicKey)) {
    throw u2fError('u2f_bad_public_key', 'The user public key is not an uncompressed P-256 point on the curve.');
  }
  const keyHandleLength = message[1 + P256_PUBLIC_KEY_BYTES] as number;
  const keyHandleStart = 2 + P256_PUBLIC_KEY_BYTES;
  const certificateStart = keyHandleStart + keyHandleLength;
  if (keyHandleLength === 0 || certificateStart >= message.length) {
    throw u2fError('u2f_malformed_message', 'The key handle length is zero or runs past the end of the message.');
  }
  const keyHandle = message.subarray(keyHandleStart, certificateStart);
  const certificate = readAttestationCertificate(message, certificateStart);
  if (certificate === undefined) {
    throw u2fError(
      'u2f_bad_certificate',
      'The attestation certificate is not a DER X.509 certificate with a P-256 key.',
    );
  }
  const signatureBytes = message.subarray(certificateStart + certificate.der.length);
  const signature = parseDerSignature(signatureBytes, { requireLowS: options.requireLowS === true });
  if (signature === 'malformed') {
    throw u2fError('u2f_malformed_signature', 'The attestation signature is not one strict DER ECDSA signature.');
  }
  if (signature === 'out_of_range' || signature === 'high_s') {
    throw u2fError('u2f_signature_out_of_range', 'The attestation signature has r or s out of range.');
  }

  const challengeParam = checkClientData(options.clientData, { ...options, typ: U2F_REGISTRATION_TYP });
  if (typeof challengeParam === 'string') throw u2fError(challengeParam, clientDataMessage(challengeParam));

  const signed = concatBytes(Uint8Array.of(0x00), appParam, challengeParam, keyHandle, publicKey);
  if (!verifyP256(signature.compact, signed, certificate.publicKey)) {
    throw u2fError('u2f_bad_signature', 'The attestation signature does not verify for this app id and client data.');
  }
  return {
    keyHandle: keyHandle.slice(),
    publicKey: publicKey.slice(),
    attestationCertificate: certificate.der.slice(),
  };
}

export function clientDataMessage(code: string): string {
  switch (code) {
    case 'u2f_wrong_client_data_type':
      return 'The client data is for another kind of ceremony (its typ does not match).';
    case 'u2f_wrong_challenge':
      return 'The client data does not carry the challenge the server issued.';
    case 'u2f_wrong_origin':
      return 'The client data names an origin the server does not accept.';
    default:
      return 'The client data is not a JSON object with string typ, challenge and origin.';
  }
}
