/**
 * @module
 * Standard base64 (RFC 4648 §4) between bytes and text with the APIs every JavaScript runtime
 * has (`btoa`/`atob`, no `Buffer`). Callers validate the alphabet and padding first: `atob`
 * alone tolerates whitespace and missing padding.
 */

/** Bytes per `String.fromCharCode` call: well under every engine's argument limit. */
const CHUNK = 0x2000;

/** Padded standard base64 of `bytes`. */
export function base64Encode(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Bytes of standard base64 text that the caller has already validated (padding optional). */
export function base64Decode(text: string): Uint8Array {
  const padded = text.length % 4 === 0 ? text : text + '='.repeat(4 - (text.length % 4));
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
