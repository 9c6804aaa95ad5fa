/**
 * @module
 * The account model every import and export of this package shares, and the one validation
 * all of them apply, so an account read from a URI, a Google Authenticator transfer or an Aegis
 * vault can be written to any of the others.
 */
import { HASH_ALGORITHMS, type HashAlgorithm, isBytes, isHashAlgorithm, isIntegerInRange } from '@mfakit/core/validate';
import { otpauthError } from './errors.js';

/**
 * `totp` (RFC 6238, time-based), `hotp` (RFC 4226, counter-based) or `steam` (a Steam Guard token:
 * TOTP whose codes are 5 characters of Steam's alphabet, as Aegis and Steam's app show them).
 */
export type OtpType = 'totp' | 'hotp' | 'steam';

interface AccountFields {
  /** The shared secret as bytes (never text). */
  secret: Uint8Array;
  /** Account name shown in the app: usually an email or user name. */
  account: string;
  /** Service name shown above the account; absent when the source had none. */
  issuer?: string;
  algorithm: HashAlgorithm;
  /** Code length, 6–8 (5 for a Steam Guard token). */
  digits: number;
  /**
   * Parameters of the otpauth URI this package does not interpret (e.g. `image`), kept in
   * their original order so build→parse→build is the identity. Absent when there were none.
   */
  extraParameters?: Readonly<Record<string, string>>;
  /**
   * Set by `parseOtpauthUri` when the label's issuer prefix differed from the `issuer`
   * parameter, which won (as in Google Authenticator): the prefix as written, for the
   * compatibility warning that names both.
   */
  labelIssuer?: string;
}

/** A time-based (RFC 6238) account. */
export interface TotpAccount extends AccountFields {
  type: 'totp';
  /** Time step in seconds (RFC 6238 X). */
  period: number;
}

/** A counter-based (RFC 4226) account. */
export interface HotpAccount extends AccountFields {
  type: 'hotp';
  /** Counter the next code is computed from (RFC 4226 C). */
  counter: number;
}

/**
 * A Steam Guard token: TOTP with HMAC-SHA1 and 30-second steps whose code is the RFC 4226 §5.3
 * value written as 5 characters of Steam's alphabet (`steamGuardCode` in @mfakit/core). Steam
 * fixes every parameter, so `algorithm` is always SHA1, `digits` 5 and `period` 30.
 */
export interface SteamAccount extends AccountFields {
  type: 'steam';
  /** Always 30. */
  period: number;
}

/** A parsed, fully specified account: every default filled in. */
export type OtpAccount = TotpAccount | HotpAccount | SteamAccount;

interface AccountInputFields {
  secret: Uint8Array;
  account: string;
  issuer?: string | undefined;
  /** Default SHA1. */
  algorithm?: HashAlgorithm | undefined;
  /** Default 6. */
  digits?: number | undefined;
  extraParameters?: Readonly<Record<string, string>> | undefined;
  /** See `OtpAccount.labelIssuer`; only read by `compatibilityWarnings`. */
  labelIssuer?: string | undefined;
}

/** What the builders accept: an `OtpAccount`, or one with the defaults left out. */
export type OtpAccountInput =
  | (AccountInputFields & { type?: 'totp' | undefined; period?: number | undefined })
  | (AccountInputFields & { type: 'hotp'; counter: number })
  | (AccountInputFields & { type: 'steam'; period?: number | undefined });

/** The algorithm an account has when none is given: SHA1, the one every app supports. */
export const DEFAULT_ALGORITHM: HashAlgorithm = 'SHA1';
/** The code length when none is given. */
export const DEFAULT_DIGITS = 6;
/** The TOTP period in seconds when none is given. */
export const DEFAULT_PERIOD = 30;
/** Largest period accepted: one day, the most @mfakit/core computes codes for. */
export const MAX_PERIOD = 86_400;
export const MIN_DIGITS = 6;
export const MAX_DIGITS = 8;
/** The parameters Steam fixes for every Steam Guard token. */
export const STEAM_ALGORITHM: HashAlgorithm = 'SHA1';
export const STEAM_DIGITS = 5;
export const STEAM_PERIOD = 30;

/** RFC 4226 §5.3 allows 6–8 digits for real-world use; apps support no others. */
export function checkDigits(digits: number, where: string): number {
  if (!isIntegerInRange(digits, MIN_DIGITS, MAX_DIGITS)) {
    throw otpauthError('invalid_digits', `${where}: digits must be 6, 7 or 8.`);
  }
  return digits;
}

export function checkPeriod(period: number, where: string): number {
  if (!isIntegerInRange(period, 1, MAX_PERIOD)) {
    throw otpauthError('invalid_period', `${where}: period must be a whole number of seconds from 1 to ${MAX_PERIOD}.`);
  }
  return period;
}

export function checkCounter(counter: number, where: string): number {
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw otpauthError(
      'invalid_counter',
      `${where}: counter must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}.`,
    );
  }
  return counter;
}

export function checkAlgorithm(algorithm: unknown, where: string): HashAlgorithm {
  if (!isHashAlgorithm(algorithm)) {
    throw otpauthError('unsupported_algorithm', `${where}: algorithm must be one of ${HASH_ALGORITHMS.join(', ')}.`);
  }
  return algorithm;
}

/**
 * Checks types (caller bugs → TypeError) and values (unsupported by the apps → MfaError), and
 * returns a fully specified copy. The secret is copied so later changes by the caller do not leak
 * into an account already handed out.
 */
export function normalizeAccount(input: OtpAccountInput, where = 'Account'): OtpAccount {
  if (typeof input !== 'object' || input === null) throw new TypeError(`${where} must be an object`);
  if (!isBytes(input.secret)) throw new TypeError(`${where}: secret must be a Uint8Array`);
  if (typeof input.account !== 'string') throw new TypeError(`${where}: account must be a string`);
  if (input.issuer !== undefined && typeof input.issuer !== 'string') {
    throw new TypeError(`${where}: issuer must be a string when given`);
  }
  if (input.secret.length === 0) throw otpauthError('invalid_secret', `${where}: the secret is empty.`);
  if (input.type === 'steam') return steamAccount(input, where);
  const algorithm = checkAlgorithm(input.algorithm ?? DEFAULT_ALGORITHM, where);
  const digits = checkDigits(numberField(input.digits, DEFAULT_DIGITS, 'digits', where), where);
  const base = {
    // A copy made here, so also bytes of this realm when the input came from another one.
    secret: Uint8Array.from(input.secret),
    account: input.account,
    ...(input.issuer !== undefined && input.issuer !== '' ? { issuer: input.issuer } : {}),
    algorithm,
    digits,
    ...extraParametersOf(input.extraParameters, where),
  };
  if (input.type === 'hotp') {
    const counter = checkCounter(numberField(input.counter, undefined, 'counter', where), where);
    return { type: 'hotp', ...base, counter };
  }
  if (input.type !== undefined && input.type !== 'totp') {
    throw otpauthError('unsupported_type', `${where}: type must be 'totp', 'hotp' or 'steam'.`);
  }
  const period = checkPeriod(numberField(input.period, DEFAULT_PERIOD, 'period', where), where);
  return { type: 'totp', ...base, period };
}

/**
 * A Steam Guard token: parameters left out are Steam's; given ones must be Steam's (a 6-digit or
 * SHA256 "Steam" token is not one Steam issues, and its codes would be wrong).
 */
function steamAccount(input: AccountInputFields & { period?: number | undefined }, where: string): SteamAccount {
  const algorithm = input.algorithm ?? STEAM_ALGORITHM;
  if (algorithm !== STEAM_ALGORITHM) {
    throw otpauthError('unsupported_algorithm', `${where}: a Steam Guard token uses SHA1.`);
  }
  if (numberField(input.digits, STEAM_DIGITS, 'digits', where) !== STEAM_DIGITS) {
    throw otpauthError(
      'invalid_digits',
      `${where}: Steam Guard codes have 5 characters; digits must be 5 or left out.`,
    );
  }
  if (numberField(input.period, STEAM_PERIOD, 'period', where) !== STEAM_PERIOD) {
    throw otpauthError('invalid_period', `${where}: Steam Guard codes change every 30 seconds; period must be 30.`);
  }
  return {
    type: 'steam',
    secret: Uint8Array.from(input.secret),
    account: input.account,
    ...(input.issuer !== undefined && input.issuer !== '' ? { issuer: input.issuer } : {}),
    algorithm: STEAM_ALGORITHM,
    digits: STEAM_DIGITS,
    ...extraParametersOf(input.extraParameters, where),
    period: STEAM_PERIOD,
  };
}

function numberField(value: unknown, fallback: number | undefined, name: string, where: string): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${where}: ${name} must be a number`);
  return value;
}

function extraParametersOf(
  extra: Readonly<Record<string, string>> | undefined,
  where: string,
): { extraParameters?: Readonly<Record<string, string>> } {
  if (extra === undefined) return {};
  if (typeof extra !== 'object' || extra === null) throw new TypeError(`${where}: extraParameters must be an object`);
  const entries = Object.entries(extra);
  for (const [name, value] of entries) {
    if (typeof value !== 'string') throw new TypeError(`${where}: extra parameter '${name}' must be a string`);
  }
  return entries.length === 0 ? {} : { extraParameters: Object.freeze(Object.fromEntries(entries)) };
}

/** "account #3 (GitHub)" style reference for messages: position only, never secret material. */
export function describePosition(index: number): string {
  return `account #${index + 1}`;
}
