/**
 * @module
 * `VirtualAuthenticator`: a phone app in a test. Built from the otpauth URI a server shows (the
 * "scan") or from a raw secret, it reads time from a `Clock` plus its own drift — a phone that
 * runs 90 s fast is `{ driftMs: 90_000 }` — and shows the same codes the real app would.
 */
import { createTotp, type HashAlgorithm, type TotpKey } from '@mfakit/core';
import { parseOtpauthUri } from '@mfakit/otpauth';
import type { Clock } from '@mfakit/registry';

/** Options of the {@link VirtualAuthenticator} constructor. */
export interface VirtualAuthenticatorOptions {
  /** Where the phone reads the time (usually the registry's `FakeClock`). Required. */
  clock: Clock;
  /** How far the phone's clock is ahead (positive) or behind (negative), in ms. Default 0. */
  driftMs?: number;
  /** HMAC hash (RFC 6238 §1.2). Default `SHA1`. */
  algorithm?: HashAlgorithm;
  /** Code length. Default 6. */
  digits?: number;
  /** Time step in seconds. Default 30. */
  period?: number;
  /** Label shown in the app (from the URI when scanned). */
  label?: string;
  /** Accept a secret shorter than 16 bytes (RFC 4226 §4 R6); otherwise it throws `MfaError` `weak_secret`. */
  allowShortSecret?: boolean;
}

/** A clock that a test can move (FakeClock has it). */
interface MovableClock extends Clock {
  advance(ms: number): unknown;
}

function isMovable(clock: Clock): clock is MovableClock {
  return typeof (clock as Partial<MovableClock>).advance === 'function';
}

/**
 * A phone authenticator app in a test: shows RFC 6238 TOTP codes for one secret at the time of a
 * `Clock` plus its own drift (`driftMs`, positive when the phone runs fast). Build it with
 * {@link VirtualAuthenticator.fromUri} from the otpauth URI a server shows, or from raw secret
 * bytes. The constructor throws `TypeError` without `options.clock`, and the core's `TypeError`,
 * `RangeError` or `MfaError` (`weak_secret`) for a bad secret or parameters.
 *
 * Secret handling: the secret is turned into a prepared HMAC key at construction (later changes
 * to the caller's array do not matter, and the array is not wiped). `toString()` and
 * `util.inspect` show only the label; there is no `toJSON`, no accessor for the secret and no
 * `destroy()`, so whoever holds the object can read every code: test material only.
 *
 * @example
 * ```ts
 * const phone = VirtualAuthenticator.fromUri(enrollment.otpauthUri, { clock, driftMs: 90_000 });
 * const [code1, code2] = phone.nextCodes(2);
 * ```
 */
export class VirtualAuthenticator {
  /** The account label shown in the app (`issuer:account` when scanned). */
  readonly label: string;
  /** Code length. */
  readonly digits: number;
  /** Time step in seconds. */
  readonly period: number;
  readonly #clock: Clock;
  readonly #key: TotpKey;
  #driftMs: number;

  constructor(secret: Uint8Array, options: VirtualAuthenticatorOptions) {
    if (typeof options !== 'object' || options === null || typeof options.clock?.now !== 'function') {
      throw new TypeError('options.clock is required (e.g. a FakeClock)');
    }
    this.#key = createTotp(secret, {
      ...(options.algorithm === undefined ? {} : { algorithm: options.algorithm }),
      ...(options.digits === undefined ? {} : { digits: options.digits }),
      ...(options.period === undefined ? {} : { period: options.period }),
      ...(options.allowShortSecret === undefined ? {} : { allowShortSecret: options.allowShortSecret }),
    });
    this.#clock = options.clock;
    this.#driftMs = options.driftMs ?? 0;
    this.digits = this.#key.digits;
    this.period = this.#key.period;
    this.label = options.label ?? 'virtual authenticator';
  }

  /**
   * "Scans" an otpauth:// URI (TOTP only), as a phone app does from the QR code: secret, algorithm,
   * digits, period and label come from the URI. Throws `TypeError` for an HOTP URI and the
   * `MfaError` of `parseOtpauthUri` (`invalid_uri`, `invalid_secret`, …) for a malformed one.
   */
  static fromUri(
    uri: string,
    options: Omit<VirtualAuthenticatorOptions, 'algorithm' | 'digits' | 'period' | 'label'>,
  ): VirtualAuthenticator {
    const account = parseOtpauthUri(uri);
    if (account.type !== 'totp') throw new TypeError('VirtualAuthenticator needs a totp URI');
    return new VirtualAuthenticator(account.secret, {
      ...options,
      algorithm: account.algorithm,
      digits: account.digits,
      period: account.period,
      label: account.issuer === undefined ? account.account : `${account.issuer}:${account.account}`,
    });
  }

  /** How far the phone's clock is ahead (positive) or behind (negative), in ms. */
  get driftMs(): number {
    return this.#driftMs;
  }

  /** Changes the phone's clock error in ms (e.g. it drifts further over months); throws `TypeError` unless finite. */
  setDrift(driftMs: number): this {
    if (typeof driftMs !== 'number' || !Number.isFinite(driftMs))
      throw new TypeError('driftMs must be a finite number');
    this.#driftMs = driftMs;
    return this;
  }

  /** The phone's idea of the time: the clock's time plus the drift, in ms since the epoch. */
  now(): number {
    return this.#clock.now() + this.#driftMs;
  }

  /** The phone's current RFC 6238 §4.2 time step: floor(Unix seconds / period). */
  step(): number {
    return this.#key.step(this.now());
  }

  /** The code on screen now. */
  code(): string {
    return this.#key.generate(this.now());
  }

  /** The code of a given step (to build replay or "old code" cases); throws `RangeError` unless a non-negative safe integer. */
  codeAtStep(step: number): string {
    return this.#key.generateAtStep(step);
  }

  /**
   * `count` codes from consecutive steps, as a user reads them for enrollment or resync: the
   * code on screen, then — after waiting for it to change — the next one. With a movable clock
   * (FakeClock) the clock is advanced to the start of each following step, so afterwards it is
   * in the step of the last code; with a real clock the later codes are computed ahead.
   */
  nextCodes(count: number): string[] {
    if (!Number.isInteger(count) || count < 1 || count > 100) throw new RangeError('count must be 1-100');
    const codes = [this.code()];
    for (let i = 1; i < count; i++) {
      if (isMovable(this.#clock)) {
        const period = this.period * 1000;
        const phoneNow = this.now();
        this.#clock.advance(period - (((phoneNow % period) + period) % period));
        codes.push(this.code());
      } else {
        codes.push(this.#key.generateAtStep(this.step() + i));
      }
    }
    return codes;
  }

  /** `VirtualAuthenticator(<label>)`: never the secret or a code. */
  toString(): string {
    return `VirtualAuthenticator(${this.label})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
