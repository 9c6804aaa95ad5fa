/**
 * @module
 * The IAM-user path: an account's root user (the owner) deactivates a member's device or clears a
 * member's lockout. Only within the root's own account: a user of another account is answered
 * as unknown. Root users cannot be reset this way; they use lost-device recovery.
 */
import { audit, type RegistryContext, requireDevice, requireUser } from './context.js';
import { registryError } from './errors.js';
import type { UserRecord } from './model.js';
import { sendNotices } from './notices.js';
import type { NotificationChannel } from './notifier.js';
import { assertId } from './validate.js';

async function authorize(context: RegistryContext, adminId: string, userId: string): Promise<UserRecord> {
  assertId(adminId, 'adminId');
  assertId(userId, 'userId');
  const admin = await requireUser(context, adminId);
  if (admin.kind !== 'root') throw registryError('not_authorized', 'Only a root user can administer MFA devices');
  const user = await context.config.store.users.get(userId);
  if (user === undefined || user.accountId !== admin.accountId) {
    throw registryError('unknown_user', 'No user has this id in your account');
  }
  if (user.kind !== 'member') throw registryError('not_authorized', 'Root users reset their MFA through recovery');
  return user;
}

export async function adminDeactivateDevice(
  context: RegistryContext,
  adminId: string,
  userId: string,
  deviceId: string,
): Promise<{ failedNotices: NotificationChannel[] }> {
  const { config } = context;
  assertId(deviceId, 'deviceId');
  const user = await authorize(context, adminId, userId);
  const device = await requireDevice(context, userId, deviceId);
  if (device.state === 'deactivated') throw registryError('device_state', 'This device is already deactivated');
  const at = config.clock.now();
  if (!(await config.store.devices.deactivate(deviceId, at))) {
    throw registryError('device_state', 'This device is already deactivated');
  }
  await audit(context, at, {
    event: 'device_deactivated',
    actor: adminId,
    accountId: user.accountId,
    userId,
    deviceId,
    outcome: 'ok',
    detail: { via: 'admin' },
  });
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
        subject: 'An MFA device was deactivated',
        text: `Your administrator deactivated the MFA device "${device.name}".`,
      },
    ],
    at,
    { deviceId },
  );
  return { failedNotices };
}

export async function adminResetLockout(context: RegistryContext, adminId: string, userId: string): Promise<void> {
  const { config } = context;
  const user = await authorize(context, adminId, userId);
  const at = config.clock.now();
  await config.store.attempts.reset(userId, 'otp');
  await config.store.attempts.reset(userId, 'recovery_code');
  await audit(context, at, {
    event: 'lockout_reset',
    actor: adminId,
    accountId: user.accountId,
    userId,
    outcome: 'ok',
  });
}
