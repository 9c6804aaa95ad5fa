/**
 * @module
 * DeactivateMFADevice by the user themself: a user removes one of their own devices (the server
 * asks for a recent MFA check first — step-up — before calling this). Audited as
 * `device_deactivated` with `via: 'self'`, and the user is told by email (a notifier failure is
 * reported, never thrown: notices.ts).
 */
import { auditUser, type RegistryContext, requireDevice, requireUser } from './context.js';
import { registryError } from './errors.js';
import { sendNotices } from './notices.js';
import type { NotificationChannel } from './notifier.js';
import { assertId } from './validate.js';

export async function removeDevice(
  context: RegistryContext,
  userId: string,
  deviceId: string,
): Promise<{ failedNotices: NotificationChannel[] }> {
  const { config } = context;
  assertId(userId, 'userId');
  assertId(deviceId, 'deviceId');
  const user = await requireUser(context, userId);
  const device = await requireDevice(context, userId, deviceId);
  const at = config.clock.now();
  if (device.state === 'deactivated' || !(await config.store.devices.deactivate(deviceId, at))) {
    throw registryError('device_state', 'This device is already removed');
  }
  await auditUser(context, at, user, { event: 'device_deactivated', deviceId, outcome: 'ok', detail: { via: 'self' } });
  if (config.notifier === undefined) return { failedNotices: [] };
  const failedNotices = await sendNotices(
    context,
    user,
    [
      {
        channel: 'email',
        to: user.email,
        userId,
        kind: 'device_deactivated',
        subject: 'An MFA device was removed',
        text: `The MFA device "${device.name}" was removed from your account. If this was not you, contact support immediately.`,
      },
    ],
    at,
    { deviceId },
  );
  return { failedNotices };
}
