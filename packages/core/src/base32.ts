/**
 * @module
 * Strict RFC 4648 §6 base32, with standard APIs only (no `Buffer`), so it runs in browsers and
 * edge runtimes. Every input is validated before any bit is decoded: the popular `thirty-two`
 * silently decodes garbage (`ABC!@#DEF` gives bytes); the tests cross-check this codec against it.
 *
 * Accepted: A–Z and 2–7 in any case; ASCII spaces and hyphens anywhere (authenticator apps show
 * secrets in groups); optional `=` padding, which if present must pad to a multiple of 8 exactly.
 * Rejected: any other character, `=` in the middle, lengths whose final quantum cannot come from
 * whole bytes (1, 3 or 6 characters mod 8 — RFC 4648 §6 cases only leave 2, 4, 5 or 7).
 * Leftover bits in the last character are ignored, as Google Authenticator and oathtool do.
 */
import { isBytes } from './bytes.js';
import { MfaError } from './errors.js';

/** RFC 4648 §6: a final quantum of 8, 16, 24 or 32 bits gives 2, 4, 5 or 7 characters. */
const VALID_REMAINDERS = new Set([0, 2, 4, 5, 7]);
/** Upper bound on accepted input, far above any real secret, so hostile input stays cheap. */
export const MAX_BASE32_LENGTH = 65_536;

function invalid(message: string): MfaError {
  return new MfaError('invalid_base32', `${message}. Expected RFC 4648 base32: letters A-Z and digits 2-7.`);
}

/**
 * Validates and normalises base32 text to upper-case without separators or padding.
 * Throws `MfaError('invalid_base32')`; the message gives a position, never the text itself
 * (the text is usually a secret).
 */
export function normalizeBase32(text: string): string {
  if (typeof text !== 'string') throw new TypeError('base32 text must be a string');
  if (text.length > MAX_BASE32_LENGTH) throw invalid(`Base32 text is longer than ${MAX_BASE32_LENGTH} characters`);
  let out = '';
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x2d) continue; // space, hyphen
    if (c === 0x3d) {
      padding++;
      continue;
    }
    if (padding > 0) throw invalid(`Padding '=' is followed by data at position ${i + 1}`);
    // a-z → A-Z
    const upper = c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
    const isLetter = upper >= 0x41 && upper <= 0x5a;
    const isDigit = upper >= 0x32 && upper <= 0x37;
    if (!isLetter && !isDigit) throw invalid(`Invalid base32 character at position ${i + 1}`);
    out += String.fromCharCode(upper);
  }
  if (out.length === 0) throw invalid('Base32 text is empty');
  const remainder = out.length % 8;
  if (!VALID_REMAINDERS.has(remainder)) {
    throw invalid(`Base32 text has ${out.length} characters, a length no whole number of bytes encodes to`);
  }
  // RFC 4648 §6: padding, when present, fills the final quantum exactly; a full block needs none.
  if (padding > 0 && padding !== (8 - remainder) % 8) {
    throw invalid(`Base32 padding is wrong: ${out.length} characters need ${(8 - remainder) % 8} '=' to fill a block`);
  }
  return out;
}

/**
 * RFC 4648 §6 alphabet value of an upper-case character (A–Z → 0–25, 2–7 → 26–31), computed
 * without a branch or a table lookup on the character: the text is usually a secret.
 */
function alphabetValue(upper: number): number {
  const isLetter = (0x40 - upper) >>> 31; // 1 for 0x41–0x5a, 0 for 0x32–0x37
  return upper - 0x18 - isLetter * 0x29;
}

/** The character of a 5-bit value (the inverse of `alphabetValue`), also without a branch. */
function characterOf(value: number): number {
  const isDigit = (25 - value) >>> 31; // 1 for 26–31
  return value + 0x41 - isDigit * 0x29;
}

/** Decodes strict base32 (see module doc) to bytes. */
export function base32Decode(text: string): Uint8Array {
  const normalized = normalizeBase32(text);
  // RFC 4648 §6: every 8 characters carry 5 bytes; a final 2, 4, 5 or 7 carry 1, 2, 3 or 4.
  const bytes = new Uint8Array(Math.floor((normalized.length * 5) / 8));
  let accumulator = 0;
  let bits = 0;
  let index = 0;
  for (let i = 0; i < normalized.length; i++) {
    accumulator = ((accumulator << 5) | alphabetValue(normalized.charCodeAt(i))) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[index++] = accumulator >>> bits;
    }
  }
  // Leftover bits of the last character are ignored, as Google Authenticator and oathtool do.
  return bytes;
}

/** Encodes bytes as upper-case base32 without padding (the form otpauth URIs use). */
export function base32Encode(bytes: Uint8Array): string {
  if (!isBytes(bytes)) throw new TypeError('base32Encode expects a Uint8Array');
  let text = '';
  let accumulator = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    accumulator = ((accumulator << 8) | (bytes[i] as number)) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += String.fromCharCode(characterOf((accumulator >>> bits) & 0x1f));
    }
  }
  // RFC 4648 §6: the last quantum is padded with zero bits to a whole character.
  if (bits > 0) text += String.fromCharCode(characterOf((accumulator << (5 - bits)) & 0x1f));
  return text;
}
