/**
 * @module
 * RFC 4226 HOTP: `hotp()` for one code, `createHotp()` for a prepared key that generates and
 * verifies many codes from one precomputed HMAC state, `verifyHotp()` for a one-off check with a
 * look-ahead window (RFC 4226 §7.4).
 */
import { canonicalCode } from './code-input.js';
import type { HashAlgorithm } from './hash-algorithms.js';
import { describeKey, inspectSymbol } from './key-display.js';
import {
  algorithmOption,
  assertOptionsObject,
  assertSecret,
  counterWords,
  integerOption,
  type SecretOptions,
  windowOption,
} from './options.js';
import { decimalEncoding, OtpEngine } from './otp-engine.js';

/** Parameters of an HOTP key. */
export interface HotpOptions extends SecretOptions {
  /** HMAC hash. Default `SHA1` (RFC 4226 §5.2). */
  algorithm?: HashAlgorithm;
  /** Code length, 6–10. Default 6 (RFC 4226 §5.3 allows more; authenticator apps show 6–8). */
  digits?: number;
}

/** Where an HOTP verification looks. */
export interface HotpVerifyOptions {
  /** The next counter value the verifier expects (one past the last accepted). */
  counter: number | bigint;
  /** Look-ahead: how many counters after `counter` are also tried (RFC 4226 §7.4). Default 10. */
  window?: number;
  /** Permit `window` above 10 (up to 1000). */
  allowWideWindow?: boolean;
}

/**
 * A matched `counter` (store `counter + 1` as the next expected one) and its distance `delta` from
 * the expected counter, or why there was no match.
 */
export type HotpVerifyResult =
  | { ok: true; counter: number; delta: number }
  | { ok: false; reason: 'mismatch' | 'malformed' };

/** Default HOTP look-ahead: counters tried after the expected one (RFC 4226 §7.4). */
export const DEFAULT_HOTP_WINDOW = 10;

function hotpDigits(value: unknown): number {
  return integerOption(value, 'digits', 6, 6, 10);
}

/** A prepared HOTP key. Holds derived key material: call `destroy()` when done with it. */
export interface HotpKey {
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  /** The code for `counter` (a safe integer or a bigint below 2^64). */
  generate(counter: number | bigint): string;
  /** Checks `code` against counters `counter … counter + window`, in constant time. */
  verify(code: string, options: HotpVerifyOptions): HotpVerifyResult;
  /** Overwrites the precomputed key state; the key is unusable afterwards. */
  destroy(): void;
}

class PreparedHotp implements HotpKey {
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  readonly #engine: OtpEngine;
  #destroyed = false;

  constructor(secret: Uint8Array, options: HotpOptions | undefined) {
    assertOptionsObject(options, 'options');
    assertSecret(secret, options);
    this.algorithm = algorithmOption(options?.algorithm);
    this.digits = hotpDigits(options?.digits);
    this.#engine = new OtpEngine(this.algorithm, secret, decimalEncoding(this.digits));
  }

  #live(): OtpEngine {
    if (this.#destroyed) throw new TypeError('this HOTP key was destroyed');
    return this.#engine;
  }

  generate(counter: number | bigint): string {
    const engine = this.#live();
    const { high, low } = counterWords(counter);
    return engine.code(high, low);
  }

  verify(code: string, options: HotpVerifyOptions): HotpVerifyResult {
    const engine = this.#live();
    const { counter, window } = hotpVerifyOptions(options);
    const input = canonicalCode(code, this.digits);
    if (input === undefined) return { ok: false, reason: 'malformed' };
    const outcome = engine.scan(input, counter, counter + window, counter - 1);
    if (outcome.kind !== 'match') return { ok: false, reason: 'mismatch' };
    return { ok: true, counter: outcome.counter, delta: outcome.counter - counter };
  }

  destroy(): void {
    this.#engine.destroy();
    this.#destroyed = true;
  }

  toString(): string {
    return describeKey('HotpKey', { algorithm: this.algorithm, digits: this.digits });
  }
  toJSON(): { algorithm: HashAlgorithm; digits: number } {
    return { algorithm: this.algorithm, digits: this.digits };
  }
  [inspectSymbol](): string {
    return this.toString();
  }
}

function hotpVerifyOptions(options: HotpVerifyOptions): { counter: number; window: number } {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object with the expected counter');
  }
  const window = windowOption(options.window, 'window', DEFAULT_HOTP_WINDOW, options.allowWideWindow);
  let counter = options.counter;
  if (typeof counter === 'bigint') {
    counterWords(counter);
    if (counter > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError('verifyHotp supports counters up to 2^53-1');
    }
    counter = Number(counter);
  }
  counterWords(counter);
  if (counter + window > Number.MAX_SAFE_INTEGER) throw new RangeError('counter + window must stay below 2^53');
  return { counter, window };
}

/** Prepares an HOTP key: the HMAC key schedule is computed once and reused for every code. */
export function createHotp(secret: Uint8Array, options?: HotpOptions): HotpKey {
  return new PreparedHotp(secret, options);
}

/** RFC 4226 §5.3: the HOTP code of `secret` at `counter`. */
export function hotp(secret: Uint8Array, counter: number | bigint, options?: HotpOptions): string {
  const key = createHotp(secret, options);
  try {
    return key.generate(counter);
  } finally {
    key.destroy();
  }
}

/**
 * Verifies an HOTP code against counters `counter … counter + window`. On success the caller
 * stores `result.counter + 1` as the next expected counter (RFC 4226 §7.2).
 */
export function verifyHotp(
  secret: Uint8Array,
  code: string,
  options: HotpOptions & HotpVerifyOptions,
): HotpVerifyResult {
  // Validate everything, and reject a malformed code, before the secret is used.
  assertOptionsObject(options, 'options');
  assertSecret(secret, options);
  hotpVerifyOptions(options);
  if (canonicalCode(code, hotpDigits(options.digits)) === undefined) return { ok: false, reason: 'malformed' };
  const key = createHotp(secret, options);
  try {
    return key.verify(code, options);
  } finally {
    key.destroy();
  }
}
