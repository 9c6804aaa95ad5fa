/**
 * @module
 * Throttling and lockout of code attempts (RFC 4226 §7.3, NIST SP 800-63B §5.2.2), one module for
 * every flow that checks a guessable code: OTP sign-in, resync, recovery codes.
 *
 * An attempt is *reserved* in the store before its code is checked: a compare-and-set on the
 * user's attempt counter that refuses the attempt if the user is locked out or in back-off, and
 * otherwise counts it. Only then is the secret touched. So a burst of concurrent guesses cannot
 * all be checked: each needs its own successful compare-and-set on one row, and once
 * `backoffAfterFailures` of them are counted the rest are refused unchecked. Afterwards the
 * attempt is settled: a success resets the counter, a replay (a code already used: proof of
 * possession, not a guess — see docs/decisions.md) gives its count back, a wrong code keeps it.
 *
 * The lock is set by the reservation that reaches `maxFailures` (no further attempt may be
 * checked while that one is in flight); it is audited when that attempt turns out wrong, and
 * cleared by a success, a reset, or the give-back of a replay that brought the count below
 * the threshold again.
 */

import type { AuditEventName } from './audit-events.js';
import { backoffDelay, type RegistryConfig } from './config.js';
import { auditUser, type RegistryContext } from './context.js';
import { type AttemptScope, type AttemptState, type UserRecord, zeroAttemptState } from './model.js';
import type { ReservationFromZero } from './store.js';

/** Why an attempt was refused before its code was looked at. */
export type RefusalReason = 'throttled' | 'locked';

/** A refused attempt: why, the count now, whether locked, and when the next attempt will be checked. */
export interface AttemptFailure {
  ok: false;
  /**
   * `counter_regression`: a security key's signature verified but its sign counter did not grow
   * (a cloned key, WebAuthn §6.1.1); the key is flagged and refused from then on.
   */
  reason: 'mismatch' | 'replayed' | 'malformed' | 'counter_regression' | RefusalReason;
  /** Attempts now counted against the user in this scope. */
  failureCount: number;
  locked: boolean;
  /** How long until the next attempt will be checked (0: now). For the server only; see `publicOutcome`. */
  retryAfterMs: number;
}

export type Reservation = { reserved: true; state: AttemptState } | { reserved: false; refusal: AttemptFailure };

/** Compare-and-set rounds before a reservation gives up (refused as throttled: fail closed). */
const MAX_RESERVATION_ROUNDS = 256;

function failureLimit(config: RegistryConfig, scope: AttemptScope): number {
  return scope === 'otp' ? config.maxFailures : config.maxRecoveryCodeFailures;
}

/** Remaining back-off after `state`'s last counted attempt, in ms (0: an attempt may be checked now). */
export function retryAfter(config: RegistryConfig, state: AttemptState, at: number): number {
  if (state.lastFailureAt === null) return 0;
  return Math.max(0, state.lastFailureAt + backoffDelay(config, state.failureCount) - at);
}

function failure(config: RegistryConfig, reason: AttemptFailure['reason'], state: AttemptState, at: number) {
  return {
    ok: false as const,
    reason,
    failureCount: state.failureCount,
    locked: state.lockedAt !== null,
    retryAfterMs: retryAfter(config, state, at),
  };
}

/** The answer to an attempt whose code was not checked at all (malformed input): the state as it is. */
export async function unchecked(
  context: RegistryContext,
  userId: string,
  scope: AttemptScope,
  at: number,
): Promise<AttemptFailure> {
  const state = await context.config.store.attempts.get(userId, scope);
  return failure(context.config, 'malformed', state, at);
}

/** What the reservation of an attempt writes when the counter is at zero (the first round of `reserveAttempt`). */
export function reservationFromZero(config: RegistryConfig, scope: AttemptScope, at: number): ReservationFromZero {
  return {
    scope,
    next: { failureCount: 1, lastFailureAt: at, lockedAt: 1 >= failureLimit(config, scope) ? at : null },
  };
}

/**
 * Puts the counter back to the zero state after `reservationFromZero` wrote it, for an attempt
 * that will not be checked at all (the user has no device to check it with). A compare-and-set:
 * if another attempt has counted since, the count stays (the conservative side).
 */
export async function undoReservationFromZero(
  context: RegistryContext,
  userId: string,
  reservation: ReservationFromZero,
): Promise<void> {
  const zero = zeroAttemptState(userId, reservation.scope);
  await context.config.store.attempts.compareAndSet({ ...zero, ...reservation.next }, zero);
}

/**
 * Reserves one attempt (see the module doc). A refusal is audited as `event` with its reason.
 * `fromZero`: assume the zero state in the first round (no read; most users have no failures);
 * false when that compare-and-set was already tried (by `users.getWithDevices`) and did not write.
 */
export async function reserveAttempt(
  context: RegistryContext,
  user: Pick<UserRecord, 'id' | 'accountId'>,
  scope: AttemptScope,
  at: number,
  event: AuditEventName,
  fromZero = true,
): Promise<Reservation> {
  const { config } = context;
  const limit = failureLimit(config, scope);
  let state = fromZero ? zeroAttemptState(user.id, scope) : await config.store.attempts.get(user.id, scope);
  for (let round = 0; ; round++) {
    const refusedFor: RefusalReason | undefined =
      state.lockedAt !== null ? 'locked' : retryAfter(config, state, at) > 0 ? 'throttled' : undefined;
    if (refusedFor !== undefined || round === MAX_RESERVATION_ROUNDS) {
      const reason = refusedFor ?? 'throttled';
      await auditUser(context, at, user, {
        event,
        outcome: 'fail',
        detail: { reason, failureCount: state.failureCount },
      });
      return { reserved: false, refusal: failure(config, reason, state, at) };
    }
    const count = state.failureCount + 1;
    const lockedAt = count >= limit ? at : null;
    if (await config.store.attempts.compareAndSet(state, { failureCount: count, lastFailureAt: at, lockedAt })) {
      return { reserved: true, state: { userId: user.id, scope, failureCount: count, lastFailureAt: at, lockedAt } };
    }
    state = await config.store.attempts.get(user.id, scope);
  }
}

/**
 * A reserved OTP attempt's code matched: the device's replay guard advances to `step` (RFC 6238
 * §5.2, a compare-and-set) and, only if it did, the counter goes back to zero — one store call.
 * False: a concurrent request accepted this step first (a replay; the counter is untouched).
 */
export function acceptStep(
  context: RegistryContext,
  deviceId: string,
  step: number,
  change: { at: number; driftSteps: number },
  userId: string,
): Promise<boolean> {
  return context.config.store.devices.acceptStep(deviceId, step, change, { userId, scope: 'otp' });
}

/** A reserved attempt succeeded: the counter goes back to zero. */
export function attemptSucceeded(context: RegistryContext, userId: string, scope: AttemptScope): Promise<void> {
  return context.config.store.attempts.reset(userId, scope);
}

/**
 * A reserved attempt was a replay: its count is given back (unless a success reset the counter
 * in the meantime). Returns the answer, with the state after the give-back.
 */
export async function attemptReplayed(
  context: RegistryContext,
  userId: string,
  scope: AttemptScope,
  at: number,
): Promise<AttemptFailure> {
  const { config } = context;
  const limit = failureLimit(config, scope);
  for (let round = 0; round < MAX_RESERVATION_ROUNDS; round++) {
    const state = await config.store.attempts.get(userId, scope);
    if (state.failureCount === 0) return failure(config, 'replayed', state, at);
    const count = state.failureCount - 1;
    const next = {
      failureCount: count,
      lastFailureAt: state.lastFailureAt,
      lockedAt: count >= limit ? state.lockedAt : null,
    };
    if (await config.store.attempts.compareAndSet(state, next)) {
      return failure(config, 'replayed', { ...state, ...next }, at);
    }
  }
  // Endless contention: keep the count (the conservative side) and answer as a replay.
  return failure(config, 'replayed', await config.store.attempts.get(userId, scope), at);
}

/**
 * A reserved attempt's code was wrong: the count stays. Audits `event`, and the lockout if this
 * attempt's reservation reached the threshold.
 */
export async function attemptFailed(
  context: RegistryContext,
  user: Pick<UserRecord, 'id' | 'accountId'>,
  scope: AttemptScope,
  reservation: AttemptState,
  at: number,
  event: AuditEventName,
  detail: Record<string, string | number | null> = {},
  reason: 'mismatch' | 'counter_regression' = 'mismatch',
): Promise<AttemptFailure> {
  const { config } = context;
  await auditUser(context, at, user, {
    event,
    outcome: 'fail',
    detail: { ...detail, reason, failureCount: reservation.failureCount },
  });
  if (reservation.failureCount === failureLimit(config, scope)) {
    await auditUser(context, at, user, { actor: 'system', event: 'user_locked_out', outcome: 'ok', detail: { scope } });
  }
  return failure(config, reason, reservation, at);
}
