/**
 * @module
 * Steam Guard codes, as the Steam mobile app, Aegis and steam-totp compute them: an RFC 6238 TOTP
 * (HMAC-SHA1, 30-second steps from T0 = 0) whose RFC 4226 §5.3 dynamic-truncation value (the
 * 31-bit integer Snum) is written as 5 characters of Steam's 26-character alphabet instead of
 * decimal digits: the value modulo 26 picks a character, the value is divided by 26, five times,
 * least significant character first.
 *
 * The encoding is Steam's own, not an RFC; everything under it (HMAC, counter, truncation, time
 * steps) is RFC 4226/6238, and verification has the same constant-time window scan as TOTP.
 */
import { describeKey, inspectSymbol } from './key-display.js';
import { assertOptionsObject, assertSecret, type Instant, integerOption, type SecretOptions } from './options.js';
import { type CodeEncoding, OtpEngine, usingKey } from './otp-engine.js';
import {
  stepOf,
  type TotpParameters,
  type TotpVerifyOptions,
  type TotpVerifyResult,
  toResult,
  totpParameters,
  verifyOptionsObject,
  verifyPlan,
} from './totp.js';

/** The characters of a Steam Guard code, in the order the truncated value indexes them. */
export const STEAM_GUARD_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

/** Characters in a Steam Guard code. */
export const STEAM_GUARD_CODE_LENGTH = 5;

/** Seconds per Steam Guard code: the RFC 6238 default X, which Steam does not let one change. */
export const STEAM_GUARD_PERIOD = 30;

const ALPHABET_BYTES = Uint8Array.from(STEAM_GUARD_ALPHABET, (character) => character.charCodeAt(0));
const RADIX = ALPHABET_BYTES.length;

/**
 * Steam's encoding of Snum. The character of each position is selected arithmetically over the
 * whole alphabet rather than by indexing a table with a secret-derived value.
 */
const steamEncoding: CodeEncoding = {
  length: STEAM_GUARD_CODE_LENGTH,
  write(truncated: number, out: Uint8Array): void {
    let value = truncated;
    for (let position = 0; position < STEAM_GUARD_CODE_LENGTH; position++) {
      const index = value % RADIX;
      let byte = 0;
      for (let candidate = 0; candidate < RADIX; candidate++) {
        // (index ^ candidate) is 0…31: minus one has its sign bit set exactly when it is 0.
        byte |= (ALPHABET_BYTES[candidate] as number) & -(((index ^ candidate) - 1) >>> 31);
      }
      out[position] = byte;
      value = Math.floor(value / RADIX);
    }
  },
};

/** Longest raw input examined; longer strings are malformed without being scanned. */
const MAX_RAW_CODE_LENGTH = 64;
const ALPHABET_INDEX = new Set(ALPHABET_BYTES);

/**
 * A typed Steam Guard code as 5 ASCII bytes, or `undefined` when malformed: ASCII spaces are
 * removed and a–z folded to A–Z (Steam shows upper case; people type either), then exactly 5
 * characters of the alphabet must remain. Decided before the secret is touched.
 */
function canonicalSteamCode(code: unknown): Uint8Array | undefined {
  if (typeof code !== 'string') throw new TypeError('code must be a string of 5 Steam Guard characters');
  if (code.length > MAX_RAW_CODE_LENGTH) return undefined;
  const bytes = new Uint8Array(STEAM_GUARD_CODE_LENGTH);
  let count = 0;
  for (let i = 0; i < code.length; i++) {
    let c = code.charCodeAt(i);
    if (c === 0x20) continue;
    if (c >= 0x61 && c <= 0x7a) c -= 0x20;
    if (!ALPHABET_INDEX.has(c) || count === STEAM_GUARD_CODE_LENGTH) return undefined;
    bytes[count++] = c;
  }
  return count === STEAM_GUARD_CODE_LENGTH ? bytes : undefined;
}

/** A prepared Steam Guard key. Holds derived key material: call `destroy()` when done with it. */
export interface SteamGuardKey {
  /** The RFC 6238 §4.2 time step of `at` (30-second steps from the Unix epoch). */
  step(at: Instant): number;
  /** The code shown at time `at`, e.g. `"2B7QX"`. */
  generate(at: Instant): string;
  /** The code of time step `step`. */
  generateAtStep(step: number): string;
  /**
   * Checks a typed code (spaces and lower case allowed) against the steps of the window around
   * `at`, in constant time, with TOTP's window, drift and replay options.
   */
  verify(code: string, options: TotpVerifyOptions): TotpVerifyResult;
  /** Overwrites the precomputed key state; the key is unusable afterwards. */
  destroy(): void;
}

const STEAM_PARAMETERS: TotpParameters = totpParameters({ algorithm: 'SHA1', period: STEAM_GUARD_PERIOD, t0: 0 });

class PreparedSteamGuard implements SteamGuardKey {
  readonly #engine: OtpEngine;
  #destroyed = false;

  constructor(secret: Uint8Array, options: SecretOptions | undefined) {
    assertOptionsObject(options, 'options');
    assertSecret(secret, options);
    this.#engine = new OtpEngine('SHA1', secret, steamEncoding);
  }

  #live(): OtpEngine {
    if (this.#destroyed) throw new TypeError('this Steam Guard key was destroyed');
    return this.#engine;
  }

  step(at: Instant): number {
    return stepOf(at, STEAM_PARAMETERS);
  }

  generate(at: Instant): string {
    const engine = this.#live();
    return engine.codeAt(this.step(at));
  }

  generateAtStep(step: number): string {
    const engine = this.#live();
    integerOption(step, 'step', 0, 0, Number.MAX_SAFE_INTEGER);
    return engine.codeAt(step);
  }

  verify(code: string, options: TotpVerifyOptions): TotpVerifyResult {
    const engine = this.#live();
    const plan = verifyPlan(options, STEAM_PARAMETERS);
    const input = canonicalSteamCode(code);
    if (input === undefined) return { ok: false, reason: 'malformed' };
    return toResult(engine.scan(input, plan.first, plan.last, plan.afterStep), plan.currentStep);
  }

  destroy(): void {
    this.#engine.destroy();
    this.#destroyed = true;
  }

  toJSON(): { period: number } {
    return { period: STEAM_GUARD_PERIOD };
  }
  toString(): string {
    return describeKey('SteamGuardKey', { period: STEAM_GUARD_PERIOD });
  }
  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * Prepares a Steam Guard key from the raw secret (Steam's `shared_secret`, base64 in Steam's
 * files, base32 in otpauth URIs and Aegis): the HMAC key schedule is computed once.
 */
export function createSteamGuard(secret: Uint8Array, options?: SecretOptions): SteamGuardKey {
  return new PreparedSteamGuard(secret, options);
}

function withKey<T>(secret: Uint8Array, options: SecretOptions, use: (key: SteamGuardKey) => T): T {
  return usingKey(createSteamGuard(secret, options), use);
}

/** The Steam Guard code of `secret` at time `options.at` (5 characters of {@link STEAM_GUARD_ALPHABET}). */
export function steamGuardCode(secret: Uint8Array, options: SecretOptions & { at: Instant }): string {
  verifyOptionsObject(options);
  return withKey(secret, options, (key) => key.generate(options.at));
}

/**
 * Verifies a Steam Guard code within `window` steps of the step of `at` (shifted by
 * `driftSteps`), refusing steps ≤ `afterStep`. Every candidate is computed; no early exit. A
 * code that is not 5 characters of the alphabet (after removing spaces, in either case) is
 * `malformed` without the secret being used.
 */
export function verifySteamGuard(
  secret: Uint8Array,
  code: string,
  options: SecretOptions & TotpVerifyOptions,
): TotpVerifyResult {
  assertSecret(secret, options);
  verifyPlan(options, STEAM_PARAMETERS);
  if (canonicalSteamCode(code) === undefined) return { ok: false, reason: 'malformed' };
  return withKey(secret, options, (key) => key.verify(code, options));
}
