/**
 * @module
 * Argument checks at the API edge. Caller bugs throw `TypeError` (wrong type) or `RangeError`
 * (out of range) with a message naming the argument; conditions a caller must handle (a weak
 * secret from user input) throw `MfaError`. No message includes secret material.
 */
import { isBytes } from './bytes.js';
import { MfaError } from './errors.js';
import { HASH_ALGORITHMS, type HashAlgorithm, isHashAlgorithm } from './hash-algorithms.js';

/** 128 bits: RFC 4226 §4 R6 requires at least this much, and recommends 160. */
export const MIN_SECRET_BYTES = 16;
/** Verification windows above this need `allowWideWindow` (TOTP) — RFC 6238 §5.2 advises ≤ 1. */
export const MAX_DEFAULT_WINDOW = 10;
/** Hard bound on any search window so hostile options cannot make one call do unbounded work. */
export const MAX_WINDOW = 1000;
/** Upper bound for a 64-bit HOTP counter given as bigint (RFC 4226 §5.2: C is 8 bytes). */
const MAX_COUNTER = (1n << 64n) - 1n;

/** How strict the secret check is. */
export interface SecretOptions {
  /**
   * Accept secrets shorter than 16 bytes (e.g. the 10-byte secrets of many older sites).
   * Off by default: short secrets weaken the scheme (RFC 4226 §4 R6).
   */
  allowShortSecret?: boolean;
}

export function assertSecret(secret: unknown, options: SecretOptions | undefined): asserts secret is Uint8Array {
  if (!isBytes(secret)) {
    throw new TypeError('secret must be a Uint8Array; decode base32 text with base32Decode() first');
  }
  if (secret.length === 0) throw new RangeError('secret must not be empty');
  if (secret.length < MIN_SECRET_BYTES && options?.allowShortSecret !== true) {
    throw new MfaError(
      'weak_secret',
      `The secret is ${secret.length} bytes; at least ${MIN_SECRET_BYTES} are required. ` +
        'Use generateSecret() for new secrets, or pass allowShortSecret: true to accept a legacy one.',
    );
  }
}

/** Throws `TypeError` unless `options` is undefined or an object. */
export function assertOptionsObject(options: unknown, name: string): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`${name} must be an object`);
  }
}

/** True for a non-null object that is not an array: the shape of a JSON object or an options bag. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` is an integer number from `min` to `max` inclusive. */
export function isIntegerInRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * A required integer argument from `min` to `max`: `TypeError` when it is not an integer,
 * `RangeError` (naming `name` and the bounds) when it is out of range.
 */
export function integerArgument(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer`);
  }
  if (value < min || value > max) throw new RangeError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** An optional integer option: `fallback` when undefined, else as {@link integerArgument}. */
export function integerOption(value: unknown, name: string, fallback: number, min: number, max: number): number {
  return value === undefined ? fallback : integerArgument(value, name, min, max);
}

/** A required algorithm argument: one of `HASH_ALGORITHMS`, else a `RangeError` listing them. */
export function algorithmArgument(value: unknown, name = 'algorithm'): HashAlgorithm {
  if (!isHashAlgorithm(value)) throw new RangeError(`${name} must be one of ${HASH_ALGORITHMS.join(', ')}`);
  return value;
}

/** An optional algorithm option: SHA1 when undefined, else as {@link algorithmArgument}. */
export function algorithmOption(value: unknown, name = 'algorithm'): HashAlgorithm {
  return value === undefined ? 'SHA1' : algorithmArgument(value, name);
}

export function windowOption(value: unknown, name: string, fallback: number, allowWide: unknown): number {
  if (allowWide !== undefined && typeof allowWide !== 'boolean') {
    throw new TypeError('allowWideWindow must be a boolean');
  }
  const window = integerOption(value, name, fallback, 0, MAX_WINDOW);
  if (window > MAX_DEFAULT_WINDOW && allowWide !== true) {
    throw new RangeError(
      `${name} must be at most ${MAX_DEFAULT_WINDOW}; pass allowWideWindow: true for up to ${MAX_WINDOW}`,
    );
  }
  return window;
}

/** Milliseconds since the Unix epoch, as a number or a Date. */
export type Instant = number | Date;

export function instantOption(value: unknown, name: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number') {
    throw new TypeError(`${name} is required: milliseconds since the epoch (e.g. Date.now()) or a Date`);
  }
  if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${name} must be a finite, non-negative time in milliseconds`);
  }
  return ms;
}

/** An HMAC counter split into big-endian 32-bit words (RFC 4226 §5.2). */
export interface CounterWords {
  high: number;
  low: number;
}

export function counterWords(counter: unknown, name = 'counter'): CounterWords {
  if (typeof counter === 'bigint') {
    if (counter < 0n || counter > MAX_COUNTER) throw new RangeError(`${name} must be between 0 and 2^64-1`);
    return { high: Number(counter >> 32n) | 0, low: Number(counter & 0xffffffffn) | 0 };
  }
  if (typeof counter !== 'number' || !Number.isInteger(counter)) {
    throw new TypeError(`${name} must be a non-negative integer or a bigint`);
  }
  if (counter < 0 || counter > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${name} must be between 0 and 2^53-1 (use a bigint beyond that)`);
  }
  return { high: Math.floor(counter / 0x100000000) | 0, low: counter | 0 };
}
