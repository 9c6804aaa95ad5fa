/**
 * @module
 * Lost device without recovery codes — the AWS root-user path. `startRecovery` sends one
 * one-time code to the user's email and another to their phone (a `Notifier`); `completeRecovery`
 * needs both, before the session expires and within `recoveryMaxAttempts` tries. On success every
 * MFA device of the user is deactivated, lockouts are cleared, old recovery codes are revoked,
 * the user's other open sessions are closed, both channels are told, and the user can enroll a
 * new device.
 *
 * Someone else can start recovery for a user (only the user's own email and phone get the codes).
 * So a start never closes a session in progress: sessions stay open until they complete, fail or
 * expire, and each message names its session, so the user can complete *any* session whose codes
 * reached them — including one a third party started — even when the third party has used up the
 * start limit. A third party's starts therefore cannot keep the user from recovering; they can
 * only send the user messages, bounded by the per-user start limit (recovery-start-limit.ts).
 * See docs/decisions.md.
 *
 * Starts and completion each run in one store transaction (the start limit and the insert; the
 * session's compare-and-set and every effect, audit records included). Notices go out after the
 * commit; a notifier error cannot undo it, so it is audited and reported (`failedNotices`),
 * never thrown (notices.ts).
 */
import { constantTimeEqual } from '@mfakit/core/validate';
import { randomBytes } from '@noble/hashes/utils.js';
import { auditUser, newId, type RegistryContext, requireUser } from './context.js';
import { RetryLaterError, registryError } from './errors.js';
import type { RecoverySessionRecord } from './model.js';
import { sendNotices } from './notices.js';
import type { NotificationChannel } from './notifier.js';
import { hashOneTimeValue, RECOVERY_SALT_BYTES, randomDigits } from './recovery-codes.js';
import { recoveryStartRetryAt } from './recovery-start-limit.js';
import type { CompleteRecoveryResult } from './results.js';
import { assertId, assertOptions, canonicalDigits } from './validate.js';

/** Digits of each out-of-band code (~26.6 bits; attempt-limited and short-lived). */
export const RECOVERY_SESSION_CODE_DIGITS = 8;

/** A started lost-device recovery: its session id, when it expires, and notices that could not be sent. */
export interface StartRecoveryResult {
  sessionId: string;
  expiresAt: number;
  /** Channels the code could not be sent to (audited as `notice_failed`); empty when both went out. */
  failedNotices: NotificationChannel[];
}

function requireNotifier(context: RegistryContext): void {
  if (context.config.notifier === undefined) {
    throw new TypeError('Lost-device recovery needs a notifier: pass `notifier` to the Registry');
  }
}

export async function startRecovery(context: RegistryContext, userId: string): Promise<StartRecoveryResult> {
  const { config } = context;
  assertId(userId, 'userId');
  requireNotifier(context);
  const user = await requireUser(context, userId);
  if (user.kind !== 'root' && !config.allowMemberSelfRecovery) {
    throw registryError('recovery_not_available', 'Members recover a lost device through their account root user');
  }
  const at = config.clock.now();
  const emailCode = randomDigits(RECOVERY_SESSION_CODE_DIGITS);
  const phoneCode = randomDigits(RECOVERY_SESSION_CODE_DIGITS);
  const salt = randomBytes(RECOVERY_SALT_BYTES);
  const session: RecoverySessionRecord = {
    id: newId('rec'),
    userId,
    salt,
    emailCodeHash: hashOneTimeValue(salt, 'recovery-email', emailCode),
    phoneCodeHash: hashOneTimeValue(salt, 'recovery-phone', phoneCode),
    createdAt: at,
    expiresAt: at + config.recoverySessionTtlMs,
    attempts: 0,
    state: 'open',
    finishedAt: null,
  };
  const limit = {
    maxStarts: config.maxRecoveryStarts,
    windowMs: config.recoveryStartWindowMs,
    minIntervalMs: config.recoveryStartIntervalMs,
  };
  const retryAt = await config.store.transaction(async (tx) => {
    await tx.lockUser(userId);
    const recent = await tx.recoverySessions.listByUser(userId, at - limit.windowMs);
    const refusedUntil = recoveryStartRetryAt(
      recent.map((other) => other.createdAt),
      at,
      limit,
    );
    if (refusedUntil !== undefined) return refusedUntil;
    await tx.recoverySessions.insert(session);
    await auditUser(
      context,
      at,
      user,
      { event: 'recovery_started', outcome: 'ok', detail: { sessionId: session.id } },
      tx,
    );
    return undefined;
  });
  if (retryAt !== undefined) {
    // Nothing is sent and open sessions stay valid: their codes still work.
    const retryAfterMs = retryAt - at;
    await auditUser(context, at, user, { event: 'recovery_start_limited', outcome: 'fail', detail: { retryAfterMs } });
    throw new RetryLaterError(
      'recovery_rate_limited',
      `Account recovery was started too often for this user; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
      { retryAt, retryAfterMs },
    );
  }
  const minutes = Math.round(config.recoverySessionTtlMs / 60_000);
  const subject = 'Your MFA recovery code';
  const reference = `Recovery request ${session.id}.`;
  const failedNotices = await sendNotices(
    context,
    user,
    [
      {
        channel: 'email',
        to: user.email,
        userId,
        kind: 'recovery_code',
        subject,
        text: `${reference} Your email recovery code is ${emailCode}. It expires in ${minutes} minutes. You also need the code sent to your phone. If you did not ask to recover your account, ignore this message: your MFA devices stay as they are.`,
        code: emailCode,
        sessionId: session.id,
      },
      {
        channel: 'phone',
        to: user.phone,
        userId,
        kind: 'recovery_code',
        subject,
        text: `${reference} Your phone recovery code is ${phoneCode}. It expires in ${minutes} minutes.`,
        code: phoneCode,
        sessionId: session.id,
      },
    ],
    at,
    { sessionId: session.id },
  );
  return { sessionId: session.id, expiresAt: session.expiresAt, failedNotices };
}

export async function completeRecovery(
  context: RegistryContext,
  sessionId: string,
  emailCode: string,
  phoneCode: string,
  options: { userId?: string } = {},
): Promise<CompleteRecoveryResult> {
  const { config } = context;
  assertId(sessionId, 'sessionId');
  assertOptions(options, 'options');
  const expectedUser = options.userId === undefined ? undefined : assertId(options.userId, 'options.userId');
  const email = canonicalDigits(emailCode, 'emailCode', RECOVERY_SESSION_CODE_DIGITS);
  const phone = canonicalDigits(phoneCode, 'phoneCode', RECOVERY_SESSION_CODE_DIGITS);
  requireNotifier(context);
  const session = await config.store.recoverySessions.get(sessionId);
  if (session === undefined || (expectedUser !== undefined && session.userId !== expectedUser)) {
    throw registryError('unknown_recovery_session', 'No recovery session has this id');
  }
  const user = await requireUser(context, session.userId);
  const at = config.clock.now();
  const fail = async (
    reason: 'mismatch' | 'malformed' | 'expired' | 'attempts_exhausted' | 'closed',
    attemptsLeft: number,
  ) => {
    await auditUser(context, at, user, { event: 'recovery_failed', outcome: 'fail', detail: { sessionId, reason } });
    return { ok: false, reason, attemptsLeft } as const;
  };

  if (session.state !== 'open') return fail('closed', 0);
  if (at >= session.expiresAt) {
    await config.store.recoverySessions.finish(sessionId, 'failed', at);
    return fail('expired', 0);
  }
  if (email === undefined || phone === undefined) {
    // Nothing was checked: not an attempt, and (as any malformed input) not audited.
    return { ok: false, reason: 'malformed', attemptsLeft: Math.max(0, config.recoveryMaxAttempts - session.attempts) };
  }
  // The attempt is counted before the codes are checked: concurrent guesses each use one.
  const attempts = (await config.store.recoverySessions.incrementAttempts(sessionId)) ?? Number.POSITIVE_INFINITY;
  // Used-up sessions are refused, not closed: closing one here could lose the race against a
  // valid completion of an earlier attempt still in flight. It stays unusable until it expires.
  if (attempts > config.recoveryMaxAttempts) return fail('attempts_exhausted', 0);
  // Both hashes are computed and compared whatever the first comparison gave.
  const emailOk = constantTimeEqual(hashOneTimeValue(session.salt, 'recovery-email', email), session.emailCodeHash);
  const phoneOk = constantTimeEqual(hashOneTimeValue(session.salt, 'recovery-phone', phone), session.phoneCodeHash);
  if (!(emailOk && phoneOk)) {
    return fail('mismatch', config.recoveryMaxAttempts - attempts);
  }
  const { userId } = session;
  // One transaction: the session's compare-and-set and every effect, audit included. A failure
  // anywhere leaves the session open and the user as they were, so a retry with the same codes
  // completes it (the attempt it used counts).
  const deactivatedDeviceIds = await config.store.transaction(async (tx) => {
    if (!(await tx.recoverySessions.finish(sessionId, 'completed', at))) return undefined;
    await tx.lockUser(userId);
    const live = (await tx.devices.list({ userId })).filter((device) => device.state !== 'deactivated');
    for (const device of live) {
      await tx.devices.deactivate(device.id, at);
      await auditUser(
        context,
        at,
        user,
        { event: 'device_deactivated', deviceId: device.id, outcome: 'ok', detail: { via: 'recovery' } },
        tx,
      );
    }
    await tx.attempts.reset(userId, 'otp');
    await tx.attempts.reset(userId, 'recovery_code');
    await tx.recoveryCodes.delete(userId);
    // Other open sessions would otherwise let a later completion deactivate the new devices.
    for (const other of await tx.recoverySessions.listByUser(userId, -1)) {
      if (other.state === 'open') await tx.recoverySessions.finish(other.id, 'superseded', at);
    }
    const ids = live.map((device) => device.id);
    await auditUser(
      context,
      at,
      user,
      { event: 'recovery_completed', outcome: 'ok', detail: { sessionId, deactivated: ids.length } },
      tx,
    );
    return ids;
  });
  if (deactivatedDeviceIds === undefined) return fail('closed', 0);
  const text =
    `Your MFA devices were reset through account recovery (${deactivatedDeviceIds.length} deactivated). ` +
    'If this was not you, contact support immediately.';
  const notice = { userId, kind: 'recovery_completed' as const, subject: 'MFA recovery completed', text };
  const failedNotices = await sendNotices(
    context,
    user,
    [
      { ...notice, channel: 'email', to: user.email },
      { ...notice, channel: 'phone', to: user.phone },
    ],
    at,
    { sessionId },
  );
  return { ok: true, userId, deactivatedDeviceIds, failedNotices };
}
