/**
 * @module
 * The HMAC hash algorithms mfakit computes one-time codes with, under the names otpauth URIs use
 * (Google Authenticator Key Uri Format, `algorithm=`). The one list every package checks against.
 */

/** Every supported algorithm, SHA1 (the default everywhere, RFC 4226 §5.2) first. */
export const HASH_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;

/** One of {@link HASH_ALGORITHMS}. */
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

const KNOWN: ReadonlySet<string> = new Set(HASH_ALGORITHMS);

/** True when `value` is exactly one of {@link HASH_ALGORITHMS} (case-sensitive). */
export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return typeof value === 'string' && KNOWN.has(value);
}
