/**
 * @module
 * The P-256 ECDSA check the raw U2F verifiers run once the message is parsed: SHA-256 of the
 * signed bytes, then ECDSA verification (FIPS 186-5 §6.4.2) of r ‖ s against an uncompressed
 * public key. The default is @noble/curves (pure JavaScript, so it runs everywhere); a server on
 * Node can pass `nodeP256Verify` from `@mfakit/u2f/node` (OpenSSL, about 30× faster — see the
 * package README). Both receive only inputs the verifiers have already checked: a 64-byte r ‖ s
 * with 1 ≤ r, s < n and a point on the curve.
 */
import { p256 } from '@noble/curves/nist.js';

/** `signature` is r ‖ s (32 bytes each); `message` is hashed with SHA-256 by the function. */
export type P256Verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

export const nobleP256Verify: P256Verify = (signature, message, publicKey) =>
  // lowS: false — whether a high s is acceptable is decided before, by `requireLowS`.
  p256.verify(signature, message, publicKey, { prehash: true, lowS: false, format: 'compact' });

export function resolveVerify(verify: unknown): P256Verify {
  if (verify === undefined) return nobleP256Verify;
  if (typeof verify !== 'function') throw new TypeError('options.verifyP256 must be a function');
  return verify as P256Verify;
}
