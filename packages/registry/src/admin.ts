/**
 * @module
 * The IAM-user path: a root user (the account owner) deactivates a member's device or clears a
 * member's lockout. Root users cannot be reset this way; they use lost-device recovery.
 */
import { audit, type RegistryContext, requireDevice, requireUser } from './context.js';
import { registryError } from './errors.js';
import type { UserRecord } from './model.js';
import { assertId } from './validate.js';

async function authorize(context: RegistryContext, adminId: string, userId: string): Promise<UserRecord> {
  assertId(adminId, 'adminId');
  assertId(userId, 'userId');
  const admin = await requireUser(context, adminId);
  const user = await requireUser(context, userId);
  if (admin.kind !== 'root') throw registryError('not_authorized', 'Only a root user can administer MFA devices');
  if (user.kind !== 'member') throw registryError('not_authorized', 'Root users reset their MFA through recovery');
  return user;
}

export async function adminDeactivateDevice(
  context: RegistryContext,
  adminId: string,
  userId: string,
  deviceId: string,
): Promise<void> {
  const { config } = context;
  assertId(deviceId, 'deviceId');
  const user = await authorize(context, adminId, userId);
  const device = await requireDevice(context, userId, deviceId);
  if (device.state === 'deactivated') throw registryError('device_state', 'This device is already deactivated');
  const at = config.clock.now();
  if (!(await config.store.deactivateDevice(deviceId, at))) {
    throw registryError('device_state', 'The device was deactivated concurrently');
  }
  await audit(context, at, {
    event: 'device_deactivated',
    actor: adminId,
    userId,
    deviceId,
    outcome: 'ok',
    detail: { via: 'admin' },
  });
  if (config.notifier !== undefined) {
    await config.notifier.send({
      channel: 'email',
      to: user.email,
      userId,
      kind: 'device_deactivated',
      subject: 'An MFA device was deactivated',
      text: `Your administrator deactivated the MFA device "${device.name}".`,
    });
  }
}

export async function adminResetLockout(context: RegistryContext, adminId: string, userId: string): Promise<void> {
  const { config } = context;
  await authorize(context, adminId, userId);
  const at = config.clock.now();
  await config.store.resetFailures(userId, 'otp');
  await config.store.resetFailures(userId, 'recovery_code');
  await audit(context, at, { event: 'lockout_reset', actor: adminId, userId, outcome: 'ok' });
}
