/**
 * @module
 * The user public key of FIDO U2F Raw Message Formats §4.3: "the (uncompressed)
 * x,y-representation of a curve point on the P-256 NIST elliptic curve" — 0x04 ‖ x ‖ y, 65
 * bytes. Accepted only when x, y < p and the point satisfies the curve equation (the identity
 * has no such encoding), checked by @noble/curves' point decoder.
 */
import { p256 } from '@noble/curves/nist.js';

export const P256_PUBLIC_KEY_BYTES = 65;

/** True when `bytes` is an uncompressed P-256 point on the curve. */
export function isP256PublicKey(bytes: Uint8Array): boolean {
  if (bytes.length !== P256_PUBLIC_KEY_BYTES || bytes[0] !== 0x04) return false;
  try {
    p256.Point.fromBytes(bytes).assertValidity();
    return true;
  } catch {
    return false;
  }
}
