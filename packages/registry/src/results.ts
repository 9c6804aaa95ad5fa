/**
 * @module
 * Typed outcomes of the registry's verifying calls, and `publicOutcome()`, the one answer to
 * send over the wire. The typed result tells the server (and the audit log) *why* a code was
 * refused; the public outcome deliberately does not, so a caller cannot tell a wrong code from
 * a replayed one or from a locked-out account (RFC 4226 §7.3, NIST SP 800-63B §5.2.2).
 */
import type { DeviceKind } from './model.js';
import type { NotificationChannel } from './notifier.js';

export type SignInFailureReason =
  /** No active device produced this code in its window. */
  | 'mismatch'
  /**
   * The code is one of a step already accepted, or a recovery code already used (or a
   * concurrent request won the race for it). Refused and audited, but not counted as a
   * failure: it proves possession, not guessing.
   */
  | 'replayed'
  /** OTP sign-in is disabled after too many failures, until recovery or an admin reset. */
  | 'locked'
  /** Too soon after the last failure: the code was not checked; retry after `retryAfterMs`. */
  | 'throttled';

export type SignInResult =
  | { ok: true; userId: string; deviceId: string; deviceKind: DeviceKind; step: number; driftSteps: number }
  | {
      ok: false;
      reason: SignInFailureReason;
      /** Consecutive failures now recorded for the user. */
      failureCount: number;
      locked: boolean;
      /** How long until the next attempt will be checked (0: now). For the server, see `publicOutcome`. */
      retryAfterMs: number;
    };

export type RecoveryCodeResult =
  | { ok: true; userId: string; remaining: number }
  | { ok: false; reason: SignInFailureReason; failureCount: number; locked: boolean; retryAfterMs: number };

/** Enabling, assigning or resyncing a device with two consecutive codes. */
export type ConsecutiveCodesResult =
  | { ok: true; deviceId: string; step: number; driftSteps: number }
  | { ok: false; reason: 'mismatch' };

export type CompleteRecoveryResult =
  | {
      ok: true;
      userId: string;
      deactivatedDeviceIds: string[];
      /**
       * Channels whose "recovery completed" notice could not be sent (the notifier threw), each
       * audited as `recovery_notice_failed`; empty when both went out. The recovery happened
       * either way: tell the user another way, or alert, when this is not empty.
       */
      failedNotices: NotificationChannel[];
    }
  | {
      ok: false;
      reason: 'mismatch' | 'expired' | 'attempts_exhausted' | 'closed';
      /** Attempts left on this session (0 once it is closed). */
      attemptsLeft: number;
    };

/** What to send to the client. Only a throttled request says more than `ok: false`. */
export type PublicOutcome = { ok: true } | { ok: false; retryAfterSeconds?: number };

/**
 * The uniform wire answer for any verifying call: wrong, replayed and locked-out codes all give
 * exactly `{ ok: false }`. A throttled request — refused before the code was looked at — adds
 * `retryAfterSeconds` so honest clients know when to retry.
 */
export function publicOutcome(result: { ok: boolean; reason?: string; retryAfterMs?: number }): PublicOutcome {
  if (result.ok) return { ok: true };
  if (result.reason === 'throttled' && result.retryAfterMs !== undefined && result.retryAfterMs > 0) {
    return { ok: false, retryAfterSeconds: Math.ceil(result.retryAfterMs / 1000) };
  }
  return { ok: false };
}
