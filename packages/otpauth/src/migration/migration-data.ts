/**
 * @module
 * The `data` parameter of `otpauth-migration://offline?data=…`: standard base64 of a protobuf
 * MigrationPayload, percent-encoded. Real exports reach us mangled: un-escaped, double-escaped,
 * with `+` turned into spaces by form decoders, wrapped over lines, or in base64url.
 */
import { base64Decode, base64Encode } from '../base64.js';
import { otpauthError } from '../errors.js';

/**
 * A QR code holds at most 2 953 bytes (version 40, level L); escaped once more by a chat app
 * that is still under 5 000 characters. Keeps hostile input cheap.
 */
export const MAX_MIGRATION_URI_LENGTH = 8192;

const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

/** Recovers the payload bytes from the raw (still percent-encoded) value of `data`. */
export function decodeMigrationData(raw: string): Uint8Array {
  let text = raw;
  // Up to two rounds: GA escapes once, some QR tools and chat apps escape the result again.
  for (let round = 0; round < 2 && PERCENT_ESCAPE.test(text); round++) {
    try {
      text = decodeURIComponent(text);
    } catch (cause) {
      throw otpauthError(
        'invalid_migration_payload',
        "The data parameter has a broken percent-escape: copy the whole 'otpauth-migration://' text again.",
        cause,
      );
    }
  }
  // A form decoder turns '+' into ' '; base64 has no spaces, so every space was a '+'.
  text = text
    .replace(/[\r\n\t]/g, '')
    .replaceAll(' ', '+')
    .replaceAll('-', '+')
    .replaceAll('_', '/');
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length === 0) {
    throw otpauthError(
      'invalid_migration_payload',
      'The data parameter is empty: scan or copy the export QR code again.',
    );
  }
  if (!/^[A-Za-z0-9+/]*$/.test(unpadded) || unpadded.length % 4 === 1 || text.length - unpadded.length > 2) {
    throw otpauthError(
      'invalid_migration_payload',
      'The data parameter is not base64: the export text was damaged; scan or copy it again.',
    );
  }
  return base64Decode(unpadded);
}

/** Standard padded base64, percent-encoded the way Google Authenticator writes it. */
export function encodeMigrationData(payload: Uint8Array): string {
  return encodeURIComponent(base64Encode(payload));
}
