/**
 * @module
 * The HMAC hash algorithms mfakit computes one-time codes with, under the names otpauth URIs use
 * (Google Authenticator Key Uri Format, `algorithm=`). The one list every package checks against.
 */

/**
 * RFC 6238's three: what every app that honours the `algorithm` parameter computes, and all that
 * Google Authenticator transfers and Aegis files can carry.
 */
export const RFC_6238_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;

/**
 * Every supported algorithm, SHA1 (the default everywhere, RFC 4226 §5.2) first. SHA256 and
 * SHA512 are RFC 6238's; SHA224, SHA384 and the SHA-3 family (FIPS 202) are what some apps and
 * the otpauth library also offer — see `compatibilityWarnings` in @mfakit/otpauth for which apps
 * compute which.
 */
export const HASH_ALGORITHMS = [
  ...RFC_6238_ALGORITHMS,
  'SHA224',
  'SHA384',
  'SHA3-224',
  'SHA3-256',
  'SHA3-384',
  'SHA3-512',
] as const;

/** One of {@link HASH_ALGORITHMS}. */
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

const KNOWN: ReadonlySet<string> = new Set(HASH_ALGORITHMS);

/** True when `value` is exactly one of {@link HASH_ALGORITHMS} (case-sensitive). */
export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return typeof value === 'string' && KNOWN.has(value);
}

const RFC_6238: ReadonlySet<string> = new Set(RFC_6238_ALGORITHMS);

/** True when `value` is one of {@link RFC_6238_ALGORITHMS}. */
export function isRfc6238Algorithm(value: unknown): value is (typeof RFC_6238_ALGORITHMS)[number] {
  return typeof value === 'string' && RFC_6238.has(value);
}
