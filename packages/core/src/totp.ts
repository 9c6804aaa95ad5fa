/**
 * @module
 * RFC 6238 TOTP: HOTP with the counter T = floor((unixTime − T0) / X) (RFC 6238 §4.2).
 * `createTotp()` prepares a key once; `totp()`, `verifyTotp()` and `verifyConsecutive()` are
 * one-off forms of its methods. Time is always an input (`at`, ms since the epoch): nothing here
 * reads the clock, so drift, windows and replay can be tested without waiting.
 */
import { canonicalCode } from './code-input.js';
import type { HashAlgorithm } from './hash-algorithms.js';
import { describeKey, inspectSymbol } from './key-display.js';
import {
  algorithmOption,
  assertOptionsObject,
  assertSecret,
  type Instant,
  instantOption,
  integerOption,
  MAX_WINDOW,
  type SecretOptions,
  windowOption,
} from './options.js';
import { decimalEncoding, OtpEngine, type ScanOutcome, usingKey } from './otp-engine.js';

/** Parameters of a TOTP key (RFC 6238 §4.1). */
export interface TotpOptions extends SecretOptions {
  /** HMAC hash (RFC 6238 §1.2). Default `SHA1`, the only one Google Authenticator honours. */
  algorithm?: HashAlgorithm;
  /** Code length, 6–8. Default 6. */
  digits?: number;
  /** Time step X in seconds (RFC 6238 §4.1). Default 30. */
  period?: number;
  /** T0, the Unix time in seconds to start counting steps from (RFC 6238 §4.1). Default 0. */
  t0?: number;
}

/** When a TOTP verification happens and which steps it accepts. */
export interface TotpVerifyOptions {
  /** The time of the attempt: ms since the epoch, or a Date. */
  at: Instant;
  /** Steps accepted on each side of the centre. Default 1 (RFC 6238 §5.2); above 10 needs `allowWideWindow`. */
  window?: number;
  /** Permit `window` above 10 (up to 1000). */
  allowWideWindow?: boolean;
  /** Centre the window this many steps from the current one: a device's learned drift. Default 0. */
  driftSteps?: number;
  /** Replay guard: only steps strictly after this one are accepted (RFC 6238 §5.2). */
  afterStep?: number;
}

/** Where `verifyConsecutive` looks for two codes of consecutive steps (enrollment, resync). */
export interface ConsecutiveVerifyOptions {
  at: Instant;
  /** Steps each side of the centre where the first code's step may lie. Default 1, at most 1000. */
  window?: number;
  driftSteps?: number;
  /** Only accept when both codes' steps are after this one. */
  afterStep?: number;
}

/**
 * Why a code was refused: `mismatch` (wrong code), `malformed` (not exactly `digits` ASCII digits
 * after removing spaces; the secret was not used) or `replayed` (the code of a step at or before
 * `afterStep`).
 */
export type VerifyFailureReason = 'mismatch' | 'malformed' | 'replayed';

/**
 * `step` is the matched time step (the value to store as `lastAcceptedStep`); `delta` is its
 * offset from the step of `at`, i.e. the device's observed drift in steps.
 */
export type TotpVerifyResult = { ok: true; step: number; delta: number } | { ok: false; reason: VerifyFailureReason };

/** Default TOTP window: one step each side of the current one (RFC 6238 §5.2). */
export const DEFAULT_TOTP_WINDOW = 1;

/** A prepared TOTP key. Holds derived key material: call `destroy()` when done with it. */
export interface TotpKey {
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  readonly period: number;
  readonly t0: number;
  /** The RFC 6238 §4.2 time step T of `at`. */
  step(at: Instant): number;
  /** The code valid at time `at`. */
  generate(at: Instant): string;
  /** The code of time step `step`. */
  generateAtStep(step: number): string;
  /** Checks `code` against the steps of the window around `at`, in constant time. */
  verify(code: string, options: TotpVerifyOptions): TotpVerifyResult;
  /** Two codes from consecutive steps t, t+1 (enrollment, resync); the result is t+1's step. */
  verifyConsecutive(code1: string, code2: string, options: ConsecutiveVerifyOptions): TotpVerifyResult;
  /** Overwrites the precomputed key state; the key is unusable afterwards. */
  destroy(): void;
}

/** Internal (shared with steam-guard.ts): the parameters of a TOTP key, validated. */
export interface TotpParameters {
  algorithm: HashAlgorithm;
  digits: number;
  period: number;
  t0: number;
}

export function totpParameters(options: TotpOptions | undefined): TotpParameters {
  assertOptionsObject(options, 'options');
  return {
    algorithm: algorithmOption(options?.algorithm),
    digits: integerOption(options?.digits, 'digits', 6, 6, 8),
    period: integerOption(options?.period, 'period', 30, 1, 86_400),
    t0: integerOption(options?.t0, 't0', 0, 0, Number.MAX_SAFE_INTEGER),
  };
}

export function stepOf(at: Instant, parameters: TotpParameters, name = 'at'): number {
  const seconds = Math.floor(instantOption(at, name) / 1000);
  if (seconds < parameters.t0) throw new RangeError(`${name} is before t0`);
  return Math.floor((seconds - parameters.t0) / parameters.period);
}

function optionalStep(value: unknown, name: string): number {
  if (value === undefined) return -1;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${name} must be an integer`);
  return value;
}

function driftOption(value: unknown): number {
  return integerOption(value, 'driftSteps', 0, -MAX_WINDOW, MAX_WINDOW);
}

export function verifyOptionsObject(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object with at least `at` (ms since the epoch)');
  }
}

export function toResult(outcome: ScanOutcome, currentStep: number): TotpVerifyResult {
  if (outcome.kind === 'match') return { ok: true, step: outcome.counter, delta: outcome.counter - currentStep };
  return { ok: false, reason: outcome.kind };
}

export interface ScanPlan {
  currentStep: number;
  first: number;
  last: number;
  afterStep: number;
}

/** Window, centre and replay guard of one scan; `window` is already validated by the caller. */
function scanPlan(options: ConsecutiveVerifyOptions, parameters: TotpParameters, window: number): ScanPlan {
  const currentStep = stepOf(options.at, parameters);
  const centre = currentStep + driftOption(options.driftSteps);
  return {
    currentStep,
    first: centre - window,
    last: centre + window,
    afterStep: optionalStep(options.afterStep, 'afterStep'),
  };
}

export function verifyPlan(options: TotpVerifyOptions, parameters: TotpParameters): ScanPlan {
  verifyOptionsObject(options);
  return scanPlan(
    options,
    parameters,
    windowOption(options.window, 'window', DEFAULT_TOTP_WINDOW, options.allowWideWindow),
  );
}

/** Two consecutive codes are a ~10^-12 guess, so wide windows need no flag here (still ≤ MAX_WINDOW). */
function consecutivePlan(options: ConsecutiveVerifyOptions, parameters: TotpParameters): ScanPlan {
  verifyOptionsObject(options);
  return scanPlan(options, parameters, integerOption(options.window, 'window', DEFAULT_TOTP_WINDOW, 0, MAX_WINDOW));
}

class PreparedTotp implements TotpKey {
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  readonly period: number;
  readonly t0: number;
  readonly #parameters: TotpParameters;
  readonly #engine: OtpEngine;
  #destroyed = false;

  constructor(secret: Uint8Array, options: TotpOptions | undefined) {
    const parameters = totpParameters(options);
    assertSecret(secret, options);
    this.#parameters = parameters;
    this.algorithm = parameters.algorithm;
    this.digits = parameters.digits;
    this.period = parameters.period;
    this.t0 = parameters.t0;
    this.#engine = new OtpEngine(this.algorithm, secret, decimalEncoding(this.digits));
  }

  #live(): OtpEngine {
    if (this.#destroyed) throw new TypeError('this TOTP key was destroyed');
    return this.#engine;
  }

  step(at: Instant): number {
    return stepOf(at, this.#parameters);
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
    const plan = verifyPlan(options, this.#parameters);
    const input = canonicalCode(code, this.digits);
    if (input === undefined) return { ok: false, reason: 'malformed' };
    return toResult(engine.scan(input, plan.first, plan.last, plan.afterStep), plan.currentStep);
  }

  verifyConsecutive(code1: string, code2: string, options: ConsecutiveVerifyOptions): TotpVerifyResult {
    const engine = this.#live();
    const plan = consecutivePlan(options, this.#parameters);
    const input1 = canonicalCode(code1, this.digits, 'code1');
    const input2 = canonicalCode(code2, this.digits, 'code2');
    if (input1 === undefined || input2 === undefined) return { ok: false, reason: 'malformed' };
    return toResult(engine.scanConsecutive(input1, input2, plan.first, plan.last, plan.afterStep), plan.currentStep);
  }

  destroy(): void {
    this.#engine.destroy();
    this.#destroyed = true;
  }

  toJSON(): TotpParameters {
    return { ...this.#parameters };
  }
  toString(): string {
    return describeKey('TotpKey', { ...this.#parameters });
  }
  [inspectSymbol](): string {
    return this.toString();
  }
}

/** Prepares a TOTP key: the HMAC key schedule is computed once and reused for every code. */
export function createTotp(secret: Uint8Array, options?: TotpOptions): TotpKey {
  return new PreparedTotp(secret, options);
}

function withKey<T>(secret: Uint8Array, options: TotpOptions, use: (key: TotpKey) => T): T {
  return usingKey(createTotp(secret, options), use);
}

/** RFC 6238 §4.2: the TOTP code of `secret` at time `options.at`. */
export function totp(secret: Uint8Array, options: TotpOptions & { at: Instant }): string {
  verifyOptionsObject(options);
  return withKey(secret, options, (key) => key.generate(options.at));
}

/** The RFC 6238 §4.2 time step of `at` (default period 30 s, T0 0). */
export function totpStep(at: Instant, options?: Pick<TotpOptions, 'period' | 't0'>): number {
  return stepOf(at, totpParameters(options));
}

/**
 * Verifies a TOTP code within `window` steps of the step of `at` (shifted by `driftSteps`),
 * refusing steps ≤ `afterStep`. Every candidate is computed; no early exit.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  options: TotpOptions & TotpVerifyOptions,
): TotpVerifyResult {
  // Validate everything, and reject a malformed code, before the secret is used.
  const parameters = totpParameters(options);
  assertSecret(secret, options);
  verifyPlan(options, parameters);
  if (canonicalCode(code, parameters.digits) === undefined) return { ok: false, reason: 'malformed' };
  return withKey(secret, options, (key) => key.verify(code, options));
}

/**
 * Verifies two codes from consecutive steps t and t+1, with t within `window` steps of the
 * (drift-shifted) step of `at`. Used to enable a device (AWS EnableMFADevice semantics) and to
 * resynchronise one (wide windows allowed, up to 1000). `step` in the result is t+1.
 */
export function verifyConsecutive(
  secret: Uint8Array,
  code1: string,
  code2: string,
  options: TotpOptions & ConsecutiveVerifyOptions,
): TotpVerifyResult {
  const parameters = totpParameters(options);
  assertSecret(secret, options);
  consecutivePlan(options, parameters);
  if (
    canonicalCode(code1, parameters.digits, 'code1') === undefined ||
    canonicalCode(code2, parameters.digits, 'code2') === undefined
  ) {
    return { ok: false, reason: 'malformed' };
  }
  return withKey(secret, options, (key) => key.verifyConsecutive(code1, code2, options));
}
