/**
 * @module
 * @mfakit/core — constant-time RFC 4226 HOTP and RFC 6238 TOTP, Steam Guard codes (TOTP in Steam's
 * alphabet), strict base32, secrets.
 * The argument checks shared by every mfakit package are in `@mfakit/core/validate`.
 */
export { base32Decode, base32Encode, normalizeBase32 } from './base32.js';
export { constantTimeEqual } from './constant-time.js';
export { CORE_ERROR_CODES, type CoreErrorCode, isMfaError, MfaError, type MfaErrorOptions } from './errors.js';
export { HASH_ALGORITHMS, type HashAlgorithm } from './hash-algorithms.js';
export {
  createHotp,
  DEFAULT_HOTP_WINDOW,
  type HotpKey,
  type HotpOptions,
  type HotpVerifyOptions,
  type HotpVerifyResult,
  hotp,
  verifyHotp,
} from './hotp.js';
export { type Instant, MAX_DEFAULT_WINDOW, MAX_WINDOW, MIN_SECRET_BYTES, type SecretOptions } from './options.js';
export { DEFAULT_SECRET_BYTES, generateSecret } from './secret.js';
export {
  createSteamGuard,
  STEAM_GUARD_ALPHABET,
  STEAM_GUARD_CODE_LENGTH,
  STEAM_GUARD_PERIOD,
  type SteamGuardKey,
  steamGuardCode,
  verifySteamGuard,
} from './steam-guard.js';
export {
  type ConsecutiveVerifyOptions,
  createTotp,
  DEFAULT_TOTP_WINDOW,
  type TotpKey,
  type TotpOptions,
  type TotpVerifyOptions,
  type TotpVerifyResult,
  totp,
  totpStep,
  type VerifyFailureReason,
  verifyConsecutive,
  verifyTotp,
} from './totp.js';
