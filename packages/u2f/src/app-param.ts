/**
 * @module
 * The application parameter (FIDO U2F Raw Message Formats §4.1, §5.1): "the SHA-256 hash of the
 * UTF-8 encoding of the application identity". For U2F the identity is the app id (a URL); for
 * WebAuthn it is the RP ID (a domain), and the same hash is the authenticator data's rpIdHash.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from './bytes.js';

/**
 * The application parameter (FIDO U2F Raw Message Formats §4.1, §5.1): SHA-256 of the UTF-8 bytes
 * of `appId`, 32 bytes. For U2F pass the app id (a URL); for WebAuthn pass the RP ID (a domain),
 * and the result is the authenticator data's rpIdHash (WebAuthn Level 3 §6.1). Hashed exactly as
 * given — no case folding or trailing-slash repair — so pass the app id the client used.
 *
 * @throws `TypeError` when `appId` is not a non-empty string.
 */
export function applicationParameter(appId: string): Uint8Array {
  if (typeof appId !== 'string' || appId.length === 0) throw new TypeError('appId must be a non-empty string');
  return sha256(utf8(appId));
}
