/**
 * @module
 * Creating users and the secret-free view of a user's devices.
 */
import { audit, newId, type RegistryContext, requireUser } from './context.js';
import { registryError } from './errors.js';
import type { DeviceKind, DeviceRecord, DeviceState, UserKind, UserRecord } from './model.js';
import { assertEmail, assertId, assertName, assertPhone } from './validate.js';

export interface NewUser {
  /** Default: a random `usr_…` id. */
  id?: string;
  name: string;
  email: string;
  /** E.164, e.g. `+14155550100`. */
  phone: string;
  /** Default `member`. */
  kind?: UserKind;
}

export async function createUser(context: RegistryContext, input: NewUser): Promise<UserRecord> {
  if (typeof input !== 'object' || input === null) throw new TypeError('user must be an object');
  const kind = input.kind ?? 'member';
  if (kind !== 'root' && kind !== 'member') throw new TypeError("kind must be 'root' or 'member'");
  const at = context.config.clock.now();
  const user: UserRecord = {
    id: input.id === undefined ? newId('usr') : assertId(input.id, 'id'),
    name: assertName(input.name, 'name'),
    email: assertEmail(input.email),
    phone: assertPhone(input.phone),
    kind,
    createdAt: at,
  };
  if (!(await context.config.store.insertUser(user))) throw registryError('user_exists', 'A user with this id exists');
  await audit(context, at, {
    event: 'user_created',
    actor: 'system',
    userId: user.id,
    outcome: 'ok',
    detail: { kind },
  });
  return user;
}

/** A device as the registry shows it: never the secret. */
export interface DeviceInfo {
  id: string;
  userId: string;
  kind: DeviceKind;
  name: string;
  state: DeviceState;
  createdAt: number;
  enabledAt: number | null;
  deactivatedAt: number | null;
  lastUsedAt: number | null;
  driftSteps: number;
  serial: string | null;
  digits: number;
  period: number;
}

export function deviceInfo(device: DeviceRecord): DeviceInfo {
  return {
    id: device.id,
    userId: device.userId,
    kind: device.kind,
    name: device.name,
    state: device.state,
    createdAt: device.createdAt,
    enabledAt: device.enabledAt,
    deactivatedAt: device.deactivatedAt,
    lastUsedAt: device.lastUsedAt,
    driftSteps: device.driftSteps,
    serial: device.serial,
    digits: device.digits,
    period: device.period,
  };
}

export async function listUserDevices(context: RegistryContext, userId: string): Promise<DeviceInfo[]> {
  await requireUser(context, assertId(userId, 'userId'));
  return (await context.config.store.listDevices({ userId })).map(deviceInfo);
}
