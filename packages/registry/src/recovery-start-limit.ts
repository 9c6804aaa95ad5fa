/**
 * @module
 * The per-user limit on starting lost-device recovery. Every start sends an email and an SMS,
 * so unlimited starts would let anyone who can reach `startRecovery` bomb a user's inbox and
 * phone (and run up an SMS bill). A start is refused while the previous one is younger than
 * `minIntervalMs`, or while `maxStarts` starts fall in the last `windowMs`.
 *
 * `recoveryStartRetryAt` is the pure decision; lost-device.ts calls it inside the store
 * transaction that locks the user, reads their recent sessions and inserts the new one, so two
 * racing starts cannot both slip under the limit.
 */

/** How often lost-device recovery may be started for one user. */
export interface RecoveryStartLimit {
  /** Starts allowed in any `windowMs`. */
  maxStarts: number;
  windowMs: number;
  /** Least time between two starts; never more than `windowMs`. */
  minIntervalMs: number;
}

/**
 * When a start at `at` may happen, or undefined if it may happen now. `starts` are the
 * `createdAt` of the user's earlier recovery sessions, in any order and state (completed,
 * failed and superseded sessions count); those at or before `at - windowMs` are ignored, so a
 * store may pass just the ones after that.
 */
export function recoveryStartRetryAt(
  starts: readonly number[],
  at: number,
  limit: RecoveryStartLimit,
): number | undefined {
  const recent = starts.filter((start) => start > at - limit.windowMs).sort((a, b) => a - b);
  let retryAt = Number.NEGATIVE_INFINITY;
  const latest = recent[recent.length - 1];
  if (latest !== undefined && at < latest + limit.minIntervalMs) retryAt = latest + limit.minIntervalMs;
  if (recent.length >= limit.maxStarts) {
    // The oldest recent.length - maxStarts + 1 starts must leave the window first.
    retryAt = Math.max(retryAt, (recent[recent.length - limit.maxStarts] as number) + limit.windowMs);
  }
  return retryAt > at ? retryAt : undefined;
}
