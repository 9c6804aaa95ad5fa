/**
 * @module
 * What every registry flow shares: the frozen config, the key cache, id generation, the
 * audit helper and the lookups that turn unknown ids into `MfaError`s.
 */
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import type { AuditEventName } from './audit-events.js';
import type { RegistryConfig } from './config.js';
import type { DeviceKeys } from './device-keys.js';
import { registryError } from './errors.js';
import type { AuditDetail, AuditDraft, AuditOutcome, AuditRecord, DeviceRecord, UserRecord } from './model.js';
import type { RegistryTables } from './store.js';

export interface RegistryContext {
  readonly config: RegistryConfig;
  readonly deviceKeys: DeviceKeys;
}

/** A new unguessable id: `prefix_` and 96 random bits in hex. */
export function newId(prefix: string): string {
  return `${prefix}_${bytesToHex(randomBytes(12))}`;
}

export interface AuditEvent {
  event: AuditEventName;
  actor: string;
  accountId: string | null;
  userId: string | null;
  deviceId?: string | null;
  outcome: AuditOutcome;
  detail?: AuditDetail;
}

export function auditDraft(at: number, event: AuditEvent): AuditDraft {
  return {
    at,
    event: event.event,
    actor: event.actor,
    accountId: event.accountId,
    userId: event.userId,
    deviceId: event.deviceId ?? null,
    outcome: event.outcome,
    detail: event.detail ?? {},
  };
}

/** Appends an audit record, to the store or (inside a transaction) to `tables`. */
export function audit(
  context: RegistryContext,
  at: number,
  event: AuditEvent,
  tables: RegistryTables = context.config.store,
): Promise<AuditRecord> {
  return tables.audit.append(auditDraft(at, event));
}

/** What an audit record about a user says besides the user: the actor defaults to the user. */
export type UserAuditEvent = Omit<AuditEvent, 'actor' | 'accountId' | 'userId'> & { actor?: string };

/**
 * Appends an audit record about `user` (account and user ids from it; the actor is the user
 * unless the event names another). Built field by field: it runs on every sign-in.
 */
export function auditUser(
  context: RegistryContext,
  at: number,
  user: Pick<UserRecord, 'id' | 'accountId'>,
  event: UserAuditEvent,
  tables: RegistryTables = context.config.store,
): Promise<AuditRecord> {
  return tables.audit.append({
    at,
    event: event.event,
    actor: event.actor ?? user.id,
    accountId: user.accountId,
    userId: user.id,
    deviceId: event.deviceId ?? null,
    outcome: event.outcome,
    detail: event.detail ?? {},
  });
}

export async function requireUser(context: RegistryContext, userId: string): Promise<UserRecord> {
  const user = await context.config.store.users.get(userId);
  if (user === undefined) throw registryError('unknown_user', 'No user has this id');
  return user;
}

/** The device, if it belongs to `userId`; another user's device is reported as unknown. */
export async function requireDevice(context: RegistryContext, userId: string, deviceId: string): Promise<DeviceRecord> {
  const device = await context.config.store.devices.get(deviceId);
  if (device === undefined || device.userId !== userId) {
    throw registryError('unknown_device', 'This user has no device with this id');
  }
  return device;
}

export function clampDrift(context: RegistryContext, delta: number): number {
  const limit = context.config.resyncWindow;
  return Math.max(-limit, Math.min(limit, delta));
}
