/**
 * @module
 * base64url (RFC 4648 §5), as WebAuthn's JSON and U2F's client data use it: encoding without
 * padding; decoding strictly — the URL-safe alphabet only, optional correct padding, and no
 * non-zero bits left over (so one byte string has exactly one accepted text).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/**
 * base64url text of `bytes` (RFC 4648 §5), without `=` padding: the form of WebAuthn's JSON fields
 * and of U2F challenges in client data.
 */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      ALPHABET.charAt(n >>> 18) +
      ALPHABET.charAt((n >>> 12) & 63) +
      ALPHABET.charAt((n >>> 6) & 63) +
      ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63) + ALPHABET.charAt((n >>> 6) & 63);
  }
  return out;
}

/** Returns the bytes, or `undefined` when `text` is not canonical base64url. */
export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> | undefined {
  let length = text.length;
  if (length % 4 === 0 && length > 0) {
    if (text.endsWith('==')) length -= 2;
    else if (text.endsWith('=')) length -= 1;
  }
  if (length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (VALUES[code] as number) : -1;
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = (buffer >>> bits) & 0xff;
    }
  }
  // Left-over bits must be zero (RFC 4648 §3.5), or two texts would decode to the same bytes.
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}
