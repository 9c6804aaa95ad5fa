/**
 * @module
 * `@mfakit/otpauth/uri` — otpauth:// URIs (Google Authenticator Key Uri Format): build, parse,
 * and what authenticator apps would not accept. The account model every format shares.
 */
export {
  DEFAULT_ALGORITHM,
  DEFAULT_DIGITS,
  DEFAULT_PERIOD,
  type HotpAccount,
  type OtpAccount,
  type OtpAccountInput,
  type OtpType,
  type SteamAccount,
  type TotpAccount,
} from '../account.js';
export {
  type CompatibilityWarning,
  type CompatibilityWarningCode,
  compatibilityWarnings,
} from '../compatibility-warnings.js';
export { OTPAUTH_ERROR_CODES, type OtpauthErrorCode } from '../errors.js';
export { type BuildOtpauthUriOptions, buildOtpauthUri } from './build-otpauth-uri.js';
export { type ParseOtpauthUriOptions, parseOtpauthUri } from './parse-otpauth-uri.js';
