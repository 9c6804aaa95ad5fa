/**
 * @module
 * AES-256-GCM (NIST SP 800-38D) with a fresh random 96-bit nonce per message, and SHA-256 (FIPS
 * 180-4), both through node:crypto (OpenSSL). Used for the account payload (associated data = the
 * file header) and for wrapping the vault key in each slot (associated data = the slot's parameters).
 *
 * Why not @noble/ciphers, the design's choice: opening a 200-account vault spent ≈ 30 ms in pure-JS
 * AES-GCM and SHA-256 (table set-up and cold code), most of `mfakit code`'s budget; OpenSSL does it
 * in well under 1 ms. test/crypto-cross-check.test.ts checks both functions against @noble/ciphers
 * and @noble/hashes on random inputs, and the tamper tests cover every rejected byte.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

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

function checkKeyAndNonce(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`AES-256-GCM needs a ${KEY_BYTES}-byte key`);
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`AES-256-GCM needs a ${NONCE_BYTES}-byte nonce`);
}

/** Encrypts with `nonce`; exported for the cross-check tests (callers use {@link seal}, which draws the nonce). */
export function encryptWithNonce(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array {
  checkKeyAndNonce(key, nonce);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData);
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  const out = new Uint8Array(head.length + tail.length + TAG_BYTES);
  out.set(head, 0);
  out.set(tail, head.length);
  out.set(cipher.getAuthTag(), head.length + tail.length);
  head.fill(0);
  return out;
}

export function seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Sealed {
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
  return { nonce, sealed: encryptWithNonce(key, nonce, plaintext, associatedData) };
}

/** The plaintext, or `undefined` when the tag does not verify (wrong key or altered bytes). */
export function unseal(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array | undefined {
  checkKeyAndNonce(key, nonce);
  if (sealed.length < TAG_BYTES) return undefined;
  const split = sealed.length - TAG_BYTES;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(sealed.subarray(split));
  decipher.setAAD(associatedData);
  const head = decipher.update(sealed.subarray(0, split));
  try {
    const tail = decipher.final();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    return out;
  } catch {
    return undefined;
  } finally {
    // OpenSSL decrypts before the tag is checked: wipe the unverified plaintext either way.
    head.fill(0);
  }
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}
