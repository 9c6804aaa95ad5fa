/**
 * @module
 * `VirtualAuthenticator`: a phone app in a test. Built from the otpauth URI a server shows (the
 * "scan") or from a raw secret, it reads time from a `Clock` plus its own drift — a phone that
 * runs 90 s fast is `{ driftMs: 90_000 }` — and shows the same codes the real app would.
 */
import { createTotp, type HashAlgorithm, type TotpKey } from '@mfakit/core';
import { parseOtpauthUri } from '@mfakit/otpauth';
import type { Clock } from '@mfakit/registry';

export interface VirtualAuthenticatorOptions {
  clock: Clock;
  /** How far the phone's clock is ahead (positive) or behind (negative), in ms. Default 0. */
  driftMs?: number;
  algorithm?: HashAlgorithm;
  digits?: number;
  period?: number;
  /** Label shown in the app (from the URI when scanned). */
  label?: string;
  allowShortSecret?: boolean;
}

/** A clock that a test can move (FakeClock has it). */
interface MovableClock extends Clock {
  advance(ms: number): unknown;
}

function isMovable(clock: Clock): clock is MovableClock {
  return typeof (clock as Partial<MovableClock>).advance === 'function';
}

export class VirtualAuthenticator {
  readonly label: string;
  readonly digits: number;
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

  /** "Scans" an otpauth:// URI (TOTP only), as a phone app does from the QR code. */
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

  get driftMs(): number {
    return this.#driftMs;
  }

  /** Changes the phone's clock error (e.g. it drifts further over months). */
  setDrift(driftMs: number): this {
    if (typeof driftMs !== 'number' || !Number.isFinite(driftMs))
      throw new TypeError('driftMs must be a finite number');
    this.#driftMs = driftMs;
    return this;
  }

  /** The phone's idea of the time. */
  now(): number {
    return this.#clock.now() + this.#driftMs;
  }

  /** The phone's current time step. */
  step(): number {
    return this.#key.step(this.now());
  }

  /** The code on screen now. */
  code(): string {
    return this.#key.generate(this.now());
  }

  /** The code of a given step (to build replay or "old code" cases). */
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

  toString(): string {
    return `VirtualAuthenticator(${this.label})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
