/**
 * @module
 * Sign-in with a one-time code, and resync. A sign-in tries every active OTP device of the user,
 * each window centred on the device's learned drift (RFC 6238 §6), computing all of them before
 * deciding. The attempt is reserved in the store first (throttle.ts: refused unchecked when the
 * user is in back-off or locked out), and a match must then win the store's compare-and-set on
 * `lastAcceptedStep` (RFC 6238 §5.2): of concurrent requests with one code exactly one is
 * accepted. A replay — a code of a step already accepted, or the loser of that race — is refused
 * and audited but gives its count back (docs/decisions.md).
 */
import { auditUser, clampDrift, type RegistryContext, requireDevice, requireUser } from './context.js';
import { registryError } from './errors.js';
import { isOtpDevice, type OtpDeviceRecord } from './model.js';
import type { ConsecutiveCodesResult, SignInResult } from './results.js';
import {
  acceptStep,
  attemptFailed,
  attemptReplayed,
  type Reservation,
  reservationFromZero,
  reserveAttempt,
  unchecked,
  undoReservationFromZero,
} from './throttle.js';
import { assertId, canonicalDigits } from './validate.js';

interface Match {
  device: OtpDeviceRecord;
  step: number;
  delta: number;
}

export async function verifySignIn(context: RegistryContext, userId: string, code: string): Promise<SignInResult> {
  const { config } = context;
  assertId(userId, 'userId');
  const typed = canonicalDigits(code, 'code', 6, 8);
  const at = config.clock.now();
  // The user and the devices in one read (one round trip on a networked store), which also makes
  // the optimistic first reservation — most users have no failures — unless the code is malformed.
  const first = typed === undefined ? undefined : reservationFromZero(config, 'otp', at);
  const found = await config.store.users.getWithDevices(userId, first);
  if (found === undefined) throw registryError('unknown_user', 'No user has this id');
  const { user } = found;
  const devices = found.devices.filter(
    (device): device is OtpDeviceRecord => device.state === 'active' && isOtpDevice(device),
  );
  if (devices.length === 0) {
    // Nothing will be checked: the attempt reserved with the read is undone.
    if (found.reserved && first !== undefined) await undoReservationFromZero(context, userId, first);
    throw registryError('no_active_device', 'This user has no active one-time-password device');
  }
  if (typed === undefined) return unchecked(context, userId, 'otp', at);

  // Reserved with the read, or (the counter was not at zero) by compare-and-set rounds now.
  const reservation: Reservation =
    found.reserved && first !== undefined
      ? { reserved: true, state: { userId, scope: 'otp', ...first.next } }
      : await reserveAttempt(context, user, 'otp', at, 'sign_in_failed', false);
  if (!reservation.reserved) return reservation.refusal;

  let match: Match | undefined;
  let replayedDevice: OtpDeviceRecord | undefined;
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
    // The replay guard's compare-and-set and the success's counter reset in one store call.
    if (await acceptStep(context, match.device.id, match.step, { at, driftSteps }, userId)) {
      await auditUser(context, at, user, {
        event: 'sign_in_succeeded',
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
    const answer = await attemptReplayed(context, userId, 'otp', at);
    await auditUser(context, at, user, {
      event: 'sign_in_replayed',
      deviceId: replayedDevice.id,
      outcome: 'fail',
      detail: { reason: 'replayed', failureCount: answer.failureCount },
    });
    return answer;
  }
  return attemptFailed(context, user, 'otp', reservation.state, at, 'sign_in_failed');
}

/**
 * ResyncMFADevice: two consecutive codes searched ±`resyncWindow` steps around the *real* time
 * step (not the old drift); the device's drift becomes the codes' offset, and their step the
 * new replay guard. Throttled like a sign-in, in the same `otp` scope.
 */
export async function resyncDevice(
  context: RegistryContext,
  userId: string,
  deviceId: string,
  code1: string,
  code2: string,
): Promise<ConsecutiveCodesResult> {
  const { config } = context;
  assertId(userId, 'userId');
  assertId(deviceId, 'deviceId');
  const user = await requireUser(context, userId);
  const device = await requireDevice(context, userId, deviceId);
  if (device.state !== 'active' || !isOtpDevice(device)) {
    throw registryError('device_state', 'Only an active one-time-password device can be resynchronised');
  }
  const first = canonicalDigits(code1, 'code1', device.digits);
  const second = canonicalDigits(code2, 'code2', device.digits);
  if (first === undefined || second === undefined) return { ok: false, reason: 'malformed' };
  const at = config.clock.now();
  const reservation = await reserveAttempt(context, user, 'otp', at, 'device_resync_failed');
  if (!reservation.reserved) return { ok: false, reason: reservation.refusal.reason as 'throttled' | 'locked' };

  const result = await context.deviceKeys.with(device, (key) =>
    key.verifyConsecutive(first, second, { at, window: config.resyncWindow, afterStep: device.lastAcceptedStep }),
  );
  const driftSteps = result.ok ? clampDrift(context, result.delta) : 0;
  if (result.ok && (await acceptStep(context, deviceId, result.step, { at, driftSteps }, userId))) {
    await auditUser(context, at, user, { event: 'device_resynced', deviceId, outcome: 'ok', detail: { driftSteps } });
    return { ok: true, deviceId, step: result.step, driftSteps };
  }
  if (result.ok || result.reason === 'replayed') {
    await attemptReplayed(context, userId, 'otp', at);
    await auditUser(context, at, user, {
      event: 'device_resync_failed',
      deviceId,
      outcome: 'fail',
      detail: { reason: 'replayed' },
    });
    return { ok: false, reason: 'replayed' };
  }
  await attemptFailed(context, user, 'otp', reservation.state, at, 'device_resync_failed', { deviceId });
  return { ok: false, reason: 'mismatch' };
}
