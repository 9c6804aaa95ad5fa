/**
 * @module
 * An entry of an import that could not become an account. Imports report these next to the
 * accounts instead of dropping them silently or failing the whole file for one odd entry.
 */

/**
 * The longest secret an import accepts: real ones are 10–64 bytes, and @mfakit/vault stores at
 * most this much. Longer ones are skipped ('invalid_secret') instead of handed on.
 */
export const MAX_IMPORTED_SECRET_BYTES = 1024;

/** Why an entry of an import was skipped. */
export type SkipReason =
  /** MD5 (Google Authenticator) or another hash no standard app computes. */
  | 'unsupported_algorithm'
  /** Yandex, mOTP or an unknown type. */
  | 'unsupported_type'
  | 'unsupported_digits'
  | 'invalid_period'
  | 'invalid_counter'
  | 'invalid_secret'
  /** The entry itself is malformed (missing fields, wrong JSON types). */
  | 'invalid_entry';

/** An entry of an import that was not imported, and why (no secret material). */
export interface SkippedEntry {
  /** 0-based position of the entry in its source (payload or vault). */
  index: number;
  /** Account name as the source has it, to show the user which one was left out. */
  account: string;
  issuer?: string;
  reason: SkipReason;
  /** What is wrong, for the user. Never contains the secret. */
  message: string;
}

/** The tokens some apps hold that are not TOTP, HOTP or Steam Guard, as those apps name them. */
const OTHER_TOKENS: Readonly<Record<string, string>> = { yandex: 'Yandex', motp: 'mOTP' };

/**
 * The one sentence every import (Aegis, the other apps' exports, URI lists) gives for a Yandex or
 * mOTP token, completing "This entry …"; undefined for other types.
 */
export function unsupportedTokenMessage(type: string): string | undefined {
  const name = OTHER_TOKENS[type.toLowerCase()];
  return name === undefined ? undefined : `is a ${name} token, which mfakit does not support; it was not imported.`;
}
