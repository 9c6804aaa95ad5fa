/**
 * @module
 * The TUI's only time source: one timer re-armed for the next whole second (no interval drift, no
 * busy loop). Tests pass a fake clock and advance it by hand.
 */
export interface Clock {
  now(): number;
  /** Calls `callback` after `ms`; returns a cancel function. */
  schedule(ms: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule: (ms, callback) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

/** Milliseconds until the next whole second of `now` (1…1000). */
export function msToNextSecond(now: number): number {
  return 1000 - (((now % 1000) + 1000) % 1000);
}
