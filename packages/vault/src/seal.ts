/**
 * @module
 * AES-256-GCM (NIST SP 800-38D) with a fresh random 96-bit nonce per message, through @noble/ciphers.
 * Used for the account payload (associated data = the file header) and for wrapping the vault key in
 * each slot (associated data = the slot's parameters).
 */
import { randomBytes } from 'node:crypto';
import { gcm } from '@noble/ciphers/aes.js';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export interface Sealed {
  nonce: Uint8Array;
  /** Ciphertext followed by the 16-byte tag. */
  sealed: Uint8Array;
}

export function randomKey(): Uint8Array {
  return new Uint8Array(randomBytes(KEY_BYTES));
}

export function seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Sealed {
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
  return { nonce, sealed: gcm(key, nonce, associatedData).encrypt(plaintext) };
}

/** The plaintext, or `undefined` when the tag does not verify (wrong key or altered bytes). */
export function unseal(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array | undefined {
  try {
    return gcm(key, nonce, associatedData).decrypt(sealed);
  } catch {
    return undefined;
  }
}
