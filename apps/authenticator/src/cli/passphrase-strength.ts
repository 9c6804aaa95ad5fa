/**
 * @module
 * A rough strength check of a new vault passphrase. The vault file can be copied and guessed
 * offline at scrypt's pace, so a short passphrase protects little; this warns (it never refuses:
 * the user decides). The estimate is length × log2(alphabet of the character classes used), minus
 * repeats and runs — crude next to zxcvbn, but it catches the "abc", "1234", "aaaaaaaa" and
 * one-word cases without a 400 kB dictionary.
 */

/** Below this many estimated bits the passphrase is called weak. */
export const WEAK_BELOW_BITS = 50;

export function estimatePassphraseBits(passphrase: string): number {
  const characters = [...passphrase];
  let alphabet = 0;
  if (/[a-z]/.test(passphrase)) alphabet += 26;
  if (/[A-Z]/.test(passphrase)) alphabet += 26;
  if (/[0-9]/.test(passphrase)) alphabet += 10;
  if (/[^a-zA-Z0-9]/.test(passphrase)) alphabet += 33;
  // A character equal to, or one step from, the one before it ("aaaa", "1234", "abcd") adds little.
  let effective = 0;
  for (let index = 0; index < characters.length; index += 1) {
    const previous = characters[index - 1]?.codePointAt(0);
    const current = characters[index]?.codePointAt(0) ?? 0;
    effective += previous !== undefined && Math.abs(current - previous) <= 1 ? 0.25 : 1;
  }
  return Math.round(effective * Math.log2(Math.max(alphabet, 2)));
}

/** A warning for a weak passphrase, or undefined. Never contains the passphrase. */
export function passphraseWarning(passphrase: string): string | undefined {
  const bits = estimatePassphraseBits(passphrase);
  if (bits >= WEAK_BELOW_BITS) return undefined;
  return `Warning: this passphrase is weak (about ${bits} bits; aim for ${WEAK_BELOW_BITS}+). Anyone with a copy of the vault file can guess it offline; four or more random words are much stronger.`;
}
