/**
 * @module
 * Lost device without recovery codes — the AWS root-user path. `startRecovery` sends one
 * one-time code to the user's email and another to their phone (a `Notifier`); `completeRecovery`
 * needs both, before the session expires and within `recoveryMaxAttempts` tries. On success every
 * MFA device of the user is deactivated, lockouts are cleared, old recovery codes are revoked,
 * both channels are told, and the user can enroll a new device.
 *
 * Completion is one store operation (`completeRecoverySession`): the session's compare-and-set
 * (a session completes at most once even if both codes are submitted concurrently) and all its
 * effects and audit records commit together or not at all. The notices go out after the commit:
 * a notifier error cannot undo it, so it is audited and reported in the result
 * (`failedNotices`) instead of thrown — the caller must not read it as a failed recovery.
 *
 * Starts are limited per user (`maxRecoveryStarts` per `recoveryStartWindowMs`, at least
 * `recoveryStartIntervalMs` apart; see recovery-start-limit.ts): a refused start sends nothing,
 * keeps the session in progress, is audited and throws `RetryLaterError`.
 */
import { constantTimeEqual } from '@mfakit/core';
import { randomBytes } from '@noble/hashes/utils.js';
import { audit, auditDraft, newId, type RegistryContext, requireUser } from './context.js';
import { RetryLaterError, registryError } from './errors.js';
import type { UserRecord } from './model.js';
import type { NotificationChannel, Notifier } from './notifier.js';
import { hashOneTimeValue, RECOVERY_SALT_BYTES, randomDigits } from './recovery-codes.js';
import type { CompleteRecoveryResult } from './results.js';
import { assertCode, assertId } from './validate.js';

/** Digits of each out-of-band code (~26.6 bits; attempt-limited and short-lived). */
export const RECOVERY_SESSION_CODE_DIGITS = 8;

function requireNotifier(notifier: Notifier | undefined): Notifier {
  if (notifier === undefined)
    throw new TypeError('Lost-device recovery needs a notifier: pass `notifier` to the Registry');
  return notifier;
}

export async function startRecovery(
  context: RegistryContext,
  userId: string,
): Promise<{ sessionId: string; expiresAt: number }> {
  const { config } = context;
  assertId(userId, 'userId');
  const notifier = requireNotifier(config.notifier);
  const user = await requireUser(context, userId);
  if (user.kind !== 'root' && !config.allowMemberSelfRecovery) {
    throw registryError('recovery_not_available', 'Members recover a lost device through an administrator');
  }
  const at = config.clock.now();
  const emailCode = randomDigits(RECOVERY_SESSION_CODE_DIGITS);
  const phoneCode = randomDigits(RECOVERY_SESSION_CODE_DIGITS);
  const salt = randomBytes(RECOVERY_SALT_BYTES);
  const sessionId = newId('rec');
  const expiresAt = at + config.recoverySessionTtlMs;
  const inserted = await config.store.insertRecoverySession(
    {
      id: sessionId,
      userId,
      salt,
      emailCodeHash: hashOneTimeValue(salt, 'recovery-email', emailCode),
      phoneCodeHash: hashOneTimeValue(salt, 'recovery-phone', phoneCode),
      createdAt: at,
      expiresAt,
      attempts: 0,
      state: 'open',
      finishedAt: null,
    },
    {
      maxStarts: config.maxRecoveryStarts,
      windowMs: config.recoveryStartWindowMs,
      minIntervalMs: config.recoveryStartIntervalMs,
    },
  );
  if (!inserted.inserted) {
    // Nothing is sent and the open session (if any) stays valid: its codes still work.
    const retryAfterMs = inserted.retryAt - at;
    await audit(context, at, {
      event: 'recovery_start_limited',
      actor: userId,
      userId,
      outcome: 'fail',
      detail: { retryAfterMs },
    });
    throw new RetryLaterError(
      'recovery_rate_limited',
      `Account recovery was started too often for this user; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
      { retryAt: inserted.retryAt, retryAfterMs },
    );
  }
  await audit(context, at, { event: 'recovery_started', actor: userId, userId, outcome: 'ok', detail: { sessionId } });
  const minutes = Math.round(config.recoverySessionTtlMs / 60_000);
  const subject = 'Your MFA recovery code';
  await notifier.send({
    channel: 'email',
    to: user.email,
    userId,
    kind: 'recovery_code',
    subject,
    text: `Your email recovery code is ${emailCode}. It expires in ${minutes} minutes. You also need the code sent to your phone.`,
    code: emailCode,
  });
  await notifier.send({
    channel: 'phone',
    to: user.phone,
    userId,
    kind: 'recovery_code',
    subject,
    text: `Your phone recovery code is ${phoneCode}. It expires in ${minutes} minutes.`,
    code: phoneCode,
  });
  return { sessionId, expiresAt };
}

/**
 * Sends the "recovery completed" notice on both channels, each whatever became of the other, and
 * audits each send that threw (`recovery_notice_failed`, naming the channel only: a gateway's
 * error text may echo the address or the message). Returns the channels that failed. Runs after
 * the commit, so a notifier error must not make the completed recovery look like a failure.
 */
async function notifyCompleted(
  context: RegistryContext,
  notifier: Notifier,
  user: UserRecord,
  sessionId: string,
  deactivated: number,
  at: number,
): Promise<NotificationChannel[]> {
  const text =
    `Your MFA devices were reset through account recovery (${deactivated} deactivated). ` +
    'If this was not you, contact support immediately.';
  const failed: NotificationChannel[] = [];
  for (const [channel, to] of [
    ['email', user.email],
    ['phone', user.phone],
  ] as const) {
    try {
      await notifier.send({
        channel,
        to,
        userId: user.id,
        kind: 'recovery_completed',
        subject: 'MFA recovery completed',
        text,
      });
    } catch {
      failed.push(channel);
      await audit(context, at, {
        event: 'recovery_notice_failed',
        actor: 'system',
        userId: user.id,
        outcome: 'fail',
        detail: { sessionId, channel, kind: 'recovery_completed' },
      });
    }
  }
  return failed;
}

export async function completeRecovery(
  context: RegistryContext,
  sessionId: string,
  emailCode: string,
  phoneCode: string,
): Promise<CompleteRecoveryResult> {
  const { config } = context;
  assertId(sessionId, 'sessionId');
  const email = assertCode(emailCode, 'emailCode', RECOVERY_SESSION_CODE_DIGITS);
  const phone = assertCode(phoneCode, 'phoneCode', RECOVERY_SESSION_CODE_DIGITS);
  const notifier = requireNotifier(config.notifier);
  const session = await config.store.getRecoverySession(sessionId);
  if (session === undefined) throw registryError('unknown_recovery_session', 'No recovery session has this id');
  const { userId } = session;
  const at = config.clock.now();
  const fail = async (reason: 'mismatch' | 'expired' | 'attempts_exhausted' | 'closed', attemptsLeft: number) => {
    await audit(context, at, {
      event: 'recovery_failed',
      actor: userId,
      userId,
      outcome: 'fail',
      detail: { sessionId, reason },
    });
    return { ok: false, reason, attemptsLeft } as const;
  };

  if (session.state !== 'open') return fail('closed', 0);
  if (at >= session.expiresAt) {
    await config.store.finishRecoverySession(sessionId, 'failed', at);
    return fail('expired', 0);
  }
  const attempts = (await config.store.incrementRecoveryAttempts(sessionId)) ?? Number.POSITIVE_INFINITY;
  if (attempts > config.recoveryMaxAttempts) {
    await config.store.finishRecoverySession(sessionId, 'failed', at);
    return fail('attempts_exhausted', 0);
  }
  // Both hashes are computed and compared whatever the first comparison gave.
  const emailOk = constantTimeEqual(hashOneTimeValue(session.salt, 'recovery-email', email), session.emailCodeHash);
  const phoneOk = constantTimeEqual(hashOneTimeValue(session.salt, 'recovery-phone', phone), session.phoneCodeHash);
  if (!(emailOk && phoneOk)) {
    const attemptsLeft = config.recoveryMaxAttempts - attempts;
    if (attemptsLeft === 0) await config.store.finishRecoverySession(sessionId, 'failed', at);
    return fail('mismatch', attemptsLeft);
  }
  const user = await requireUser(context, userId);
  // One store operation does the session's compare-and-set and every effect, audit included:
  // a failure anywhere leaves the session open and the user as they were, so a retry with the
  // same codes completes it (the attempt it used counts).
  const completion = await config.store.completeRecoverySession(sessionId, at, (deactivated) => [
    ...deactivated.map((deviceId) =>
      auditDraft(at, {
        event: 'device_deactivated',
        actor: userId,
        userId,
        deviceId,
        outcome: 'ok',
        detail: { via: 'recovery' },
      }),
    ),
    auditDraft(at, {
      event: 'recovery_completed',
      actor: userId,
      userId,
      outcome: 'ok',
      detail: { sessionId, deactivated: deactivated.length },
    }),
  ]);
  if (!completion.completed) return fail('closed', 0);
  const { deactivatedDeviceIds } = completion;
  const failedNotices = await notifyCompleted(context, notifier, user, sessionId, deactivatedDeviceIds.length, at);
  return { ok: true, userId, deactivatedDeviceIds, failedNotices };
}
