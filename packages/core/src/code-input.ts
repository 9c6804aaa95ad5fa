/**
 * @module
 * Canonicalisation of a user-typed one-time code, before any secret is touched:
 * remove ASCII spaces (U+0020 only), then require exactly `digits` ASCII digits 0–9.
 * Full-width digits, signs, tabs, newlines, other separators and wrong lengths are malformed.
 */

/** Longest raw input examined; longer strings are malformed without being scanned. */
export const MAX_RAW_CODE_LENGTH = 64;

/**
 * The code as `digits` ASCII digit bytes, or `undefined` when it is malformed (the caller answers
 * `malformed` without touching the secret). Throws `TypeError` when `code` is not a string.
 */
export function canonicalCode(code: unknown, digits: number, name = 'code'): Uint8Array | undefined {
  if (typeof code !== 'string') throw new TypeError(`${name} must be a string of digits`);
  if (code.length > MAX_RAW_CODE_LENGTH) return undefined;
  const bytes = new Uint8Array(digits);
  let count = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 0x20) continue;
    if (c < 0x30 || c > 0x39 || count === digits) return undefined;
    bytes[count++] = c;
  }
  return count === digits ? bytes : undefined;
}
