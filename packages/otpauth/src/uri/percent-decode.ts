/**
 * @module
 * Strict RFC 3986 §2.1 percent-decoding to UTF-8 text. `+` stays `+` (it is form encoding, not
 * URI encoding). Malformed escapes and escapes that are not UTF-8 are errors, reported by
 * position so the text itself (which may hold a secret) never reaches a message.
 */
import { otpauthError } from '../errors.js';

export function percentDecode(text: string, what: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw otpauthError(
      'invalid_uri',
      `The ${what} has a broken percent-escape: every '%' must be followed by two hex digits encoding UTF-8.`,
      cause,
    );
  }
}
