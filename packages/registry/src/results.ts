/**
 * @module
 * Typed outcomes of the registry's verifying calls, and `publicOutcome()`, the one answer to
 * send over the wire. The typed result tells the server (and the audit log) *why* a code was
 * refused; the public outcome deliberately does not, so a caller cannot tell a wrong code from
 * a replayed or malformed one, or a throttled attempt from a locked-out account (RFC 4226 §7.3,
 * NIST SP 800-63B §5.2.2).
 *
 * One rule for a lost compare-and-set in every flow that checks a code: the code was used by a
 * concurrent request that won, so the loser's answer is `replayed` (enable, resync, sign-in,
 * recovery codes); a recovery session completed concurrently is `closed`.
 */

import type { OtpDeviceKind } from './model.js';
import type { NotificationChannel } from './notifier.js';
import type { AttemptFailure } from './throttle.js';

/** Why a sign-in was refused (for the server and the audit log, never the client). */
export type SignInFailureReason = AttemptFailure['reason'];

/** The typed answer of a sign-in with a code or a security key. */
export type SignInResult =
  | { ok: true; userId: string; deviceId: string; deviceKind: OtpDeviceKind; step: number; driftSteps: number }
  | { ok: true; userId: string; deviceId: string; deviceKind: 'security-key'; signCount: number }
  | AttemptFailure;

/** The typed answer of a sign-in with a recovery code. */
export type RecoveryCodeResult = { ok: true; userId: string; remaining: number } | AttemptFailure;

/** Enabling, assigning or resyncing a device with two consecutive codes. */
export type ConsecutiveCodesResult =
  | { ok: true; deviceId: string; step: number; driftSteps: number }
  /** Resync also answers with the throttle's refusals (`throttled`, `locked`). */
  | { ok: false; reason: 'mismatch' | 'replayed' | 'malformed' | 'throttled' | 'locked' };

/** The typed answer of completing a lost-device recovery. */
export type CompleteRecoveryResult =
  | {
      ok: true;
      userId: string;
      deactivatedDeviceIds: string[];
      /**
       * Channels whose "recovery completed" notice could not be sent (the notifier threw), each
       * audited as `notice_failed`; empty when both went out. The recovery happened either way:
       * tell the user another way, or alert, when this is not empty.
       */
      failedNotices: NotificationChannel[];
    }
  | {
      ok: false;
      reason: 'mismatch' | 'malformed' | 'expired' | 'attempts_exhausted' | 'closed';
      /** Attempts left on this session (0 once it is closed). */
      attemptsLeft: number;
    };

/** What to send to the client: nothing but whether it worked. */
export type PublicOutcome = { ok: boolean };

/**
 * The uniform wire answer for any verifying call: wrong, replayed, malformed, throttled and
 * locked-out all give exactly `{ ok: false }`. A back-off time would tell an observer how many
 * failures a user has and whether they are locked out, so none is sent; a server may show its
 * own signed-in user `retryAfterMs` from the typed result.
 */
export function publicOutcome(result: { ok: boolean }): PublicOutcome {
  return { ok: result.ok === true };
}
