/**
 * @module
 * Accounts and users, AWS style: signing up a root user creates an account; member (IAM) users
 * are created in an existing account. Also the secret-free view of a user's devices.
 */
import { audit, newId, type RegistryContext, requireUser } from './context.js';
import { registryError } from './errors.js';
import type { DeviceKind, DeviceRecord, DeviceState, UserKind, UserRecord } from './model.js';
import { assertEmail, assertId, assertNewId, assertOptions, assertPhone, assertUserName } from './validate.js';

/** A user to create. */
export interface NewUser {
  /** Default: a random `usr_…` id. */
  id?: string;
  name: string;
  email: string;
  /** E.164, e.g. `+14155550100`. */
  phone: string;
  /** Default `member`. A `root` user creates a new account (AWS: the account owner). */
  kind?: UserKind;
  /**
   * The account a member joins (required for members). For a root user, the new account's id
   * (default: a random `acct_…` id).
   */
  accountId?: string;
}

export async function createUser(context: RegistryContext, input: NewUser): Promise<UserRecord> {
  assertOptions(input, 'user', true);
  const kind = input.kind ?? 'member';
  if (kind !== 'root' && kind !== 'member') throw new TypeError("kind must be 'root' or 'member'");
  const { store, clock } = context.config;
  const at = clock.now();
  const user: UserRecord = {
    id: input.id === undefined ? newId('usr') : assertNewId(input.id, 'id'),
    accountId: '',
    name: assertUserName(input.name),
    email: assertEmail(input.email),
    phone: assertPhone(input.phone),
    kind,
    createdAt: at,
  };
  if (kind === 'member') {
    if (input.accountId === undefined) throw new TypeError('accountId is required for a member user');
    user.accountId = assertId(input.accountId, 'accountId');
    if ((await store.accounts.get(user.accountId)) === undefined) {
      throw registryError('unknown_account', 'No account has this id');
    }
    if (!(await store.users.insert(user))) throw registryError('user_exists', 'A user with this id exists');
  } else {
    user.accountId = input.accountId === undefined ? newId('acct') : assertNewId(input.accountId, 'accountId');
    const created = await store.transaction(async (tx) => {
      if (!(await tx.accounts.insert({ id: user.accountId, rootUserId: user.id, createdAt: at }))) return 'account';
      if (!(await tx.users.insert(user))) throw registryError('user_exists', 'A user with this id exists');
      await audit(
        context,
        at,
        { event: 'account_created', actor: 'system', accountId: user.accountId, userId: user.id, outcome: 'ok' },
        tx,
      );
      return 'created';
    });
    if (created === 'account') throw registryError('invalid_input', 'An account with this id exists');
  }
  await audit(context, at, {
    event: 'user_created',
    actor: 'system',
    accountId: user.accountId,
    userId: user.id,
    outcome: 'ok',
    detail: { kind },
  });
  return user;
}

interface DeviceInfoBase {
  id: string;
  userId: string;
  kind: DeviceKind;
  name: string;
  state: DeviceState;
  createdAt: number;
  enabledAt: number | null;
  deactivatedAt: number | null;
  lastUsedAt: number | null;
}

/** A device as the registry shows it: never the secret or key material. */
export type DeviceInfo =
  | (DeviceInfoBase & {
      kind: 'virtual' | 'hardware';
      driftSteps: number;
      serial: string | null;
      digits: number;
      period: number;
    })
  | (DeviceInfoBase & {
      kind: 'security-key';
      transports: string[];
      aaguid: string | null;
      attestationFormat: string;
      /** When the key showed a sign counter that did not grow (a possible clone); null if never. */
      flaggedAt: number | null;
    });

export function deviceInfo(device: DeviceRecord): DeviceInfo {
  const base: DeviceInfoBase = {
    id: device.id,
    userId: device.userId,
    kind: device.kind,
    name: device.name,
    state: device.state,
    createdAt: device.createdAt,
    enabledAt: device.enabledAt,
    deactivatedAt: device.deactivatedAt,
    lastUsedAt: device.lastUsedAt,
  };
  if (device.kind === 'security-key') {
    return {
      ...base,
      kind: device.kind,
      transports: device.transports === '' ? [] : device.transports.split(','),
      aaguid: device.aaguid,
      attestationFormat: device.attestationFormat,
      flaggedAt: device.flaggedAt,
    };
  }
  return {
    ...base,
    kind: device.kind,
    driftSteps: device.driftSteps,
    serial: device.serial,
    digits: device.digits,
    period: device.period,
  };
}

export async function listUserDevices(context: RegistryContext, userId: string): Promise<DeviceInfo[]> {
  await requireUser(context, assertId(userId, 'userId'));
  return (await context.config.store.devices.list({ userId })).map(deviceInfo);
}
