/**
 * @module
 * Key handles of the virtual key: the credential's P-256 private key sealed with the key's own
 * wrapping key, AES-256-GCM (NIST SP 800-38D) with the application parameter as associated
 * data — as real U2F keys do with their device secret (FIDO U2F Overview §8, "key wrapping").
 * The key stores nothing per credential; a handle opens only for the application parameter it
 * was made for, and a handle altered in any bit or made by another key does not open at all.
 *
 * Layout: nonce (12) ‖ ciphertext (32) ‖ tag (16) = 60 bytes.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { concatBytes } from './bytes.js';

/**
 * Length in bytes of the key handles `VirtualSecurityKey` makes: nonce (12) ‖ AES-256-GCM-sealed
 * private key (32) ‖ tag (16). Real keys choose their own length; `verifyU2fRegistration`
 * accepts any handle of 1 to 255 bytes (the one-byte length of FIDO U2F Raw Message Formats §4.3).
 */
export const KEY_HANDLE_BYTES = 60;
const NONCE_BYTES = 12;

export function wrapPrivateKey(
  wrappingKey: Uint8Array,
  appParam: Uint8Array,
  privateKey: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  return concatBytes(nonce, gcm(wrappingKey, nonce, appParam).encrypt(privateKey));
}

/** The private key in `keyHandle`, or `undefined` when the handle is not ours for this application. */
export function unwrapPrivateKey(
  wrappingKey: Uint8Array,
  appParam: Uint8Array,
  keyHandle: Uint8Array,
): Uint8Array | undefined {
  if (keyHandle.length !== KEY_HANDLE_BYTES) return undefined;
  try {
    return gcm(wrappingKey, keyHandle.subarray(0, NONCE_BYTES), appParam).decrypt(keyHandle.subarray(NONCE_BYTES));
  } catch {
    return undefined;
  }
}
