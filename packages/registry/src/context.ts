/**
 * @module
 * What every registry flow shares: the frozen config, the key cache, id generation, the
 * audit helper and the lookups that turn unknown ids into `MfaError`s.
 */
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import type { RegistryConfig } from './config.js';
import type { DeviceKeys } from './device-keys.js';
import { registryError } from './errors.js';
import type { AuditDetail, AuditDraft, AuditOutcome, AuditRecord, DeviceRecord, UserRecord } from './model.js';
import { assertCode, assertId } from './validate.js';

export interface RegistryContext {
  readonly config: RegistryConfig;
  readonly deviceKeys: DeviceKeys;
}

/** A new unguessable id: `prefix_` and 96 random bits in hex. */
export function newId(prefix: string): string {
  return `${prefix}_${bytesToHex(randomBytes(12))}`;
}

export interface AuditEvent {
  event: string;
  actor: string;
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
    userId: event.userId,
    deviceId: event.deviceId ?? null,
    outcome: event.outcome,
    detail: event.detail ?? {},
  };
}

export function audit(context: RegistryContext, at: number, event: AuditEvent): Promise<AuditRecord> {
  return context.config.store.appendAudit(auditDraft(at, event));
}

export async function requireUser(context: RegistryContext, userId: string): Promise<UserRecord> {
  const user = await context.config.store.getUser(userId);
  if (user === undefined) throw registryError('unknown_user', 'No user has this id');
  return user;
}

/** The device, if it belongs to `userId`; another user's device is reported as unknown. */
export async function requireDevice(context: RegistryContext, userId: string, deviceId: string): Promise<DeviceRecord> {
  const device = await context.config.store.getDevice(deviceId);
  if (device === undefined || device.userId !== userId) {
    throw registryError('unknown_device', 'This user has no device with this id');
  }
  return device;
}

/**
 * The arguments of a two-consecutive-codes call (enable, resync) checked in one order: ids, the
 * user's device, then both codes against the device's digit count.
 */
export async function deviceAndCodes(
  context: RegistryContext,
  userId: string,
  deviceId: string,
  code1: string,
  code2: string,
): Promise<{ device: DeviceRecord; first: string; second: string }> {
  assertId(userId, 'userId');
  assertId(deviceId, 'deviceId');
  const device = await requireDevice(context, userId, deviceId);
  return {
    device,
    first: assertCode(code1, 'code1', device.digits),
    second: assertCode(code2, 'code2', device.digits),
  };
}

export function clampDrift(context: RegistryContext, delta: number): number {
  const limit = context.config.resyncWindow;
  return Math.max(-limit, Math.min(limit, delta));
}
