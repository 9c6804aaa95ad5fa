/**
 * @module
 * `FakeClock`: time that moves only when a test moves it, so windows, drift, expiry and
 * back-off run in milliseconds without sleeping.
 */
import type { Clock } from '@mfakit/registry';

/** 2024-01-01T00:00:00Z: a step boundary for every period that divides a day. */
export const DEFAULT_FAKE_TIME = Date.UTC(2024, 0, 1);

/**
 * A `Clock` that stands still until the test moves it (`set`, `advance`, `step`, `nextStep`),
 * in milliseconds since the Unix epoch, so TOTP windows, drift, challenge and recovery expiry
 * and sign-in back-off are tested without sleeping. Times before the epoch, non-finite values
 * and non-numbers throw `RangeError` (`advance` throws `TypeError` for a non-finite step).
 *
 * Security: for tests only. A registry on a clock that does not move keeps one TOTP step
 * current forever and never lets a back-off, a challenge or a recovery session expire; replay
 * protection still refuses a code accepted once (RFC 6238 §5.2), but nothing else about time holds.
 */
export class FakeClock implements Clock {
  #now: number;

  constructor(start: number | Date = DEFAULT_FAKE_TIME) {
    this.#now = FakeClock.#ms(start, 'start');
  }

  static #ms(value: number | Date, name: string): number {
    const ms = value instanceof Date ? value.getTime() : value;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
      throw new RangeError(`${name} must be a time in ms since the epoch`);
    return ms;
  }

  /** The current fake time in ms since the Unix epoch. */
  now(): number {
    return this.#now;
  }

  /** Jumps to a time (it may go backwards: clocks do). */
  set(at: number | Date): this {
    this.#now = FakeClock.#ms(at, 'at');
    return this;
  }

  /**
   * Moves the time by `ms` milliseconds (negative moves it back). Throws `TypeError` unless `ms`
   * is a finite number, and `RangeError` if the result would be before the epoch.
   */
  advance(ms: number): this {
    if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError('ms must be a finite number');
    this.#now = FakeClock.#ms(this.#now + ms, 'the new time');
    return this;
  }

  /** Moves `count` TOTP steps (default one step of 30 s). */
  step(count = 1, periodSeconds = 30): this {
    return this.advance(count * periodSeconds * 1000);
  }

  /** Moves to the start of the next step of `periodSeconds`. */
  nextStep(periodSeconds = 30): this {
    const period = periodSeconds * 1000;
    return this.set((Math.floor(this.#now / period) + 1) * period);
  }
}
