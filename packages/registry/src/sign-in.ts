/**
 * @module
 * Sign-in with a one-time code, and resync. A sign-in tries every active OTP device of the user,
 * each window centred on the device's learned drift (RFC 6238 §6), computing all of them before
 * deciding. A match must then win the store's compare-and-set on `lastAcceptedStep` (RFC 6238
 * §5.2): of concurrent requests with one code exactly one is accepted. Wrong codes are counted
 * per user in the store (RFC 4226 §7.3); after `backoffAfterFailures` each attempt waits a
 * back-off, and at `maxFailures` OTP sign-in is disabled until recovery or an admin reset.
 *
 * A replay — a code equal to the code of a step at or before the device's `lastAcceptedStep`
 * inside the window, or one that lost the compare-and-set to a concurrent request — is refused
 * and audited (`verify_replay`) but neither counted nor allowed to reset the count: it proves
 * possession of a recently valid code rather than guessing, and a double-click or a client
 * retry must not lock the account. The classification comes from the constant-time scan (every
 * step computed, no early exit), so a guess is only uncounted when it equals an already-used
 * code, which can never be accepted. See docs/decisions.md.
 */
import { backoffDelay } from './config.js';
import { audit, clampDrift, deviceAndCodes, type RegistryContext, requireUser } from './context.js';
import { registryError } from './errors.js';
import { type DeviceRecord, type FailureState, OTP_DEVICE_KINDS } from './model.js';
import type { ConsecutiveCodesResult, SignInFailureReason, SignInResult } from './results.js';
import { assertCode, assertId } from './validate.js';

/** Remaining back-off after `state`'s last failure, in ms (0: an attempt may be checked now). */
export function retryAfter(context: RegistryContext, state: FailureState, at: number): number {
  if (state.lastFailureAt === null) return 0;
  return Math.max(0, state.lastFailureAt + backoffDelay(context.config, state.failureCount) - at);
}

/** The failure answer of a throttled or locked-out attempt, refused before the code is checked. */
type EarlyRefusal = {
  ok: false;
  reason: SignInFailureReason;
  failureCount: number;
  locked: boolean;
  retryAfterMs: number;
};

/**
 * Refuses an attempt that comes during a back-off or after lockout — before any secret is used —
 * and audits it as `event`. Returns undefined when the attempt may be checked.
 */
export async function refuseIfThrottled(
  context: RegistryContext,
  state: FailureState,
  at: number,
  userId: string,
  event: string,
): Promise<EarlyRefusal | undefined> {
  const retryAfterMs = retryAfter(context, state, at);
  const locked = state.lockedAt !== null;
  if (retryAfterMs === 0 && !locked) return undefined;
  const reason: SignInFailureReason = retryAfterMs > 0 ? 'throttled' : 'locked';
  await audit(context, at, { event, actor: userId, userId, outcome: 'fail', detail: { reason } });
  return { ok: false, reason, failureCount: state.failureCount, locked, retryAfterMs };
}

interface Match {
  device: DeviceRecord;
  step: number;
  delta: number;
}

export async function verifySignIn(context: RegistryContext, userId: string, code: string): Promise<SignInResult> {
  const { config } = context;
  assertId(userId, 'userId');
  const typed = assertCode(code, 'code', 6, 8);
  const devices = (await config.store.listDevices({ userId })).filter(
    (device) => device.state === 'active' && OTP_DEVICE_KINDS.includes(device.kind),
  );
  if (devices.length === 0) {
    // Only now tell an unknown user from one without devices: saves a read on every sign-in.
    await requireUser(context, userId);
    throw registryError('no_active_device', 'This user has no active one-time-password device');
  }
  const at = config.clock.now();
  const before = await config.store.getFailureState(userId, 'otp');

  const refused = await refuseIfThrottled(context, before, at, userId, 'verify_fail');
  if (refused !== undefined) return refused;

  let match: Match | undefined;
  let replayedDevice: DeviceRecord | undefined;
  for (const device of devices) {
    // A code of another length cannot be this device's (the length is public: no timing leak).
    if (typed.length !== device.digits) continue;
    const options = { at, window: config.window, driftSteps: device.driftSteps, afterStep: device.lastAcceptedStep };
    // A cached key is used without an await (or a closure): one fewer microtask per device.
    const cached = context.deviceKeys.cached(device);
    const result =
      cached === undefined
        ? await context.deviceKeys.with(device, (key) => key.verify(typed, options))
        : cached.verify(typed, options);
    if (result.ok) match ??= { device, step: result.step, delta: result.delta };
    else if (result.reason === 'replayed') replayedDevice ??= device;
  }

  if (match !== undefined) {
    const driftSteps = clampDrift(context, match.delta);
    if (await config.store.advanceLastAcceptedStep(match.device.id, match.step, { at, driftSteps })) {
      if (before.failureCount > 0) await config.store.resetFailures(userId, 'otp');
      await audit(context, at, {
        event: 'verify_ok',
        actor: userId,
        userId,
        deviceId: match.device.id,
        outcome: 'ok',
        detail: { step: match.step, driftSteps },
      });
      return {
        ok: true,
        userId,
        deviceId: match.device.id,
        deviceKind: match.device.kind,
        step: match.step,
        driftSteps,
      };
    }
    replayedDevice = match.device; // a concurrent request accepted this step first
  }

  if (replayedDevice !== undefined) {
    // Not a failure: the count is neither raised nor reset (see the module doc).
    await audit(context, at, {
      event: 'verify_replay',
      actor: userId,
      userId,
      deviceId: replayedDevice.id,
      outcome: 'fail',
      detail: { reason: 'replayed', failureCount: before.failureCount },
    });
    return {
      ok: false,
      reason: 'replayed',
      failureCount: before.failureCount,
      locked: false,
      retryAfterMs: 0,
    };
  }

  const after = await config.store.recordFailure(userId, 'otp', at, config.maxFailures);
  await audit(context, at, {
    event: 'verify_fail',
    actor: userId,
    userId,
    outcome: 'fail',
    detail: { reason: 'mismatch', failureCount: after.failureCount },
  });
  // Exactly one increment reaches the threshold, so the lockout is audited once.
  if (after.failureCount === config.maxFailures) {
    await audit(context, at, { event: 'lockout', actor: 'system', userId, outcome: 'ok', detail: { scope: 'otp' } });
  }
  return {
    ok: false,
    reason: 'mismatch',
    failureCount: after.failureCount,
    locked: after.lockedAt !== null,
    retryAfterMs: retryAfter(context, after, at),
  };
}

/**
 * ResyncMFADevice: two consecutive codes searched ±`resyncWindow` steps around the *real* time
 * step (not the old drift); the device's drift becomes the codes' offset, and their step the
 * new replay guard.
 */
export async function resyncDevice(
  context: RegistryContext,
  userId: string,
  deviceId: string,
  code1: string,
  code2: string,
): Promise<ConsecutiveCodesResult> {
  const { config } = context;
  const { device, first, second } = await deviceAndCodes(context, userId, deviceId, code1, code2);
  if (device.state !== 'active' || !OTP_DEVICE_KINDS.includes(device.kind)) {
    throw registryError('device_state', 'Only an active one-time-password device can be resynchronised');
  }
  const at = config.clock.now();
  const result = await context.deviceKeys.with(device, (key) =>
    key.verifyConsecutive(first, second, { at, window: config.resyncWindow, afterStep: device.lastAcceptedStep }),
  );
  const driftSteps = result.ok ? clampDrift(context, result.delta) : 0;
  if (!result.ok || !(await config.store.advanceLastAcceptedStep(deviceId, result.step, { at, driftSteps }))) {
    await audit(context, at, { event: 'resync_failed', actor: userId, userId, deviceId, outcome: 'fail' });
    return { ok: false, reason: 'mismatch' };
  }
  await audit(context, at, {
    event: 'device_resynced',
    actor: userId,
    userId,
    deviceId,
    outcome: 'ok',
    detail: { driftSteps },
  });
  return { ok: true, deviceId, step: result.step, driftSteps };
}
