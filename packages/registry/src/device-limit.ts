/**
 * @module
 * Adding a device under the per-user limit (AWS: 8 MFA devices), the same way for every kind:
 * in one transaction that locks the user, expired pending devices are deleted (and audited) so
 * they never block an enrollment, live devices are counted, an optional claim runs (a hardware
 * token), and the device is inserted. Two racing enrollments cannot both pass the limit.
 */
import { auditUser, type RegistryContext } from './context.js';
import type { DeviceRecord, UserRecord } from './model.js';
import type { StoreTransaction } from './store.js';

export type InsertDeviceOutcome = 'inserted' | 'device_limit' | 'claim_failed';

export function insertDeviceWithinLimit(
  context: RegistryContext,
  user: UserRecord,
  device: DeviceRecord,
  claim?: (tx: StoreTransaction) => Promise<boolean>,
): Promise<InsertDeviceOutcome> {
  const { config } = context;
  const at = device.createdAt;
  return config.store.transaction(async (tx) => {
    await tx.lockUser(user.id);
    const expired = await tx.devices.deleteExpiredPending(user.id, at - config.pendingTtlMs);
    for (const deviceId of expired) {
      await auditUser(context, at, user, { actor: 'system', event: 'device_expired', deviceId, outcome: 'ok' }, tx);
    }
    const live = (await tx.devices.list({ userId: user.id })).filter((other) => other.state !== 'deactivated');
    if (live.length >= config.maxDevicesPerUser) return 'device_limit';
    if (claim !== undefined && !(await claim(tx))) return 'claim_failed';
    await tx.devices.insert(device);
    return 'inserted';
  });
}
