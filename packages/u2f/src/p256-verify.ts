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

/**
 * A P-256 ECDSA check the raw U2F verifiers call (their `verifyP256` option). `signature` is
 * r ‖ s (32 bytes each, big-endian); `message` is the signed bytes, hashed with SHA-256 by the
 * function; `publicKey` is an uncompressed point 0x04 ‖ x ‖ y (65 bytes). Returns whether the
 * signature verifies — false, not an exception, when it does not. It is called only with inputs
 * already checked: 1 ≤ r, s < n and a point on the curve.
 */
export type P256Verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

/**
 * The default `P256Verify`: @noble/curves, pure JavaScript, so it runs in Node, browsers and edge
 * runtimes. It accepts a high s; whether to refuse one is the verifiers' `requireLowS`, decided
 * before. On a Node server `nodeP256Verify` from `@mfakit/u2f/node` gives the same answers faster.
 */
export const nobleP256Verify: P256Verify = (signature, message, publicKey) =>
  // lowS: false — whether a high s is acceptable is decided before, by `requireLowS`.
  p256.verify(signature, message, publicKey, { prehash: true, lowS: false, format: 'compact' });

export function resolveVerify(verify: unknown): P256Verify {
  if (verify === undefined) return nobleP256Verify;
  if (typeof verify !== 'function') throw new TypeError('options.verifyP256 must be a function');
  return verify as P256Verify;
}
