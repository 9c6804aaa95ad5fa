/**
 * @module
 * The registry's only source of time. Tests pass a fake clock (`FakeClock` in @mfakit/testing)
 * so windows, expiry and back-off are exercised without waiting.
 */

/** Where the registry reads the time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real clock (`Date.now()`), the default. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
