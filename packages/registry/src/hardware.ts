/**
 * @module
 * Hardware TOTP tokens, identified by serial number: an admin imports the vendor's seed file
 * into the inventory (secrets sealed at rest), then a user proves possession with two
 * consecutive codes and the token becomes their active device (AWS EnableMFADevice with a
 * SerialNumber). Each serial is assignable once.
 */
import { verifyConsecutive } from '@mfakit/core';
import { audit, auditUser, clampDrift, newId, type RegistryContext, requireUser } from './context.js';
import { insertDeviceWithinLimit } from './device-limit.js';
import { registryError } from './errors.js';
import { type HardwareTokenRecord, newDeviceBase, type OtpDeviceRecord } from './model.js';
import type { ConsecutiveCodesResult } from './results.js';
import { deviceAssociatedData, openSecret, sealSecret, tokenAssociatedData } from './secret-box.js';
import { parseSeedFile } from './seed-file.js';
import { assertId, assertName, assertOptions, assertSerial, canonicalDigits } from './validate.js';

/** Options of `importHardwareTokens`. */
export interface ImportTokensOptions {
  /** Who imports (audit actor). Default `system`. */
  actor?: string;
  /** Accept seeds under 16 bytes (older tokens ship 10-byte seeds). */
  allowShortSecret?: boolean;
}

export async function importHardwareTokens(
  context: RegistryContext,
  seedFile: string,
  options: ImportTokensOptions = {},
): Promise<{ serials: string[] }> {
  const { config } = context;
  assertOptions(options, 'options');
  const actor = options.actor === undefined ? 'system' : assertId(options.actor, 'actor');
  const entries = parseSeedFile(
    seedFile,
    options.allowShortSecret === undefined ? {} : { allowShortSecret: options.allowShortSecret },
  );
  const at = config.clock.now();
  const tokens: HardwareTokenRecord[] = [];
  try {
    for (const entry of entries) {
      const sealed = await sealSecret(config.keys, entry.secret, tokenAssociatedData(entry.serial));
      tokens.push({
        serial: entry.serial,
        encryptedSecret: sealed.blob,
        keyId: sealed.keyId,
        algorithm: 'SHA1',
        digits: entry.digits,
        period: entry.period,
        importedAt: at,
        assignedUserId: null,
        assignedDeviceId: null,
        assignedAt: null,
      });
    }
  } finally {
    for (const entry of entries) entry.secret.fill(0);
  }
  const outcome = await config.store.tokens.insertMany(tokens);
  if (!outcome.ok) {
    throw registryError(
      'serial_exists',
      `Serial ${outcome.duplicateSerial} is already in the inventory (or repeated in the file)`,
    );
  }
  await audit(context, at, {
    event: 'hardware_tokens_imported',
    actor,
    accountId: null,
    userId: null,
    outcome: 'ok',
    detail: { count: tokens.length },
  });
  return { serials: tokens.map((token) => token.serial) };
}

export async function assignHardwareDevice(
  context: RegistryContext,
  userId: string,
  serial: string,
  code1: string,
  code2: string,
  options: { name?: string } = {},
): Promise<ConsecutiveCodesResult> {
  const { config } = context;
  assertId(userId, 'userId');
  assertSerial(serial);
  assertOptions(options, 'options');
  const name = options.name === undefined ? `Hardware token ${serial}` : assertName(options.name, 'name');
  const user = await requireUser(context, userId);
  const token = await config.store.tokens.get(serial);
  // Unknown and already-assigned serials answer alike: a user cannot list the inventory.
  if (token === undefined || token.assignedUserId !== null) {
    throw registryError('unknown_serial', 'No unassigned hardware token has this serial');
  }
  const first = canonicalDigits(code1, 'code1', token.digits);
  const second = canonicalDigits(code2, 'code2', token.digits);
  if (first === undefined || second === undefined) return { ok: false, reason: 'malformed' };
  const at = config.clock.now();
  const secret = await openSecret(
    config.keys,
    { keyId: token.keyId, blob: token.encryptedSecret },
    tokenAssociatedData(serial),
  );
  try {
    const result = verifyConsecutive(secret, first, second, {
      at,
      window: config.enableWindow,
      algorithm: token.algorithm,
      digits: token.digits,
      period: token.period,
      allowShortSecret: true,
    });
    if (!result.ok) {
      await auditUser(context, at, user, {
        event: 'hardware_token_assign_failed',
        outcome: 'fail',
        detail: { serial },
      });
      return { ok: false, reason: 'mismatch' };
    }
    const deviceId = newId('dev');
    const sealed = await sealSecret(config.keys, secret, deviceAssociatedData(userId, deviceId));
    const driftSteps = clampDrift(context, result.delta);
    const device: OtpDeviceRecord = {
      ...newDeviceBase(deviceId, userId, name, 'active', at),
      kind: 'hardware',
      encryptedSecret: sealed.blob,
      keyId: sealed.keyId,
      algorithm: token.algorithm,
      digits: token.digits,
      period: token.period,
      lastAcceptedStep: result.step,
      driftSteps,
      serial,
    };
    const outcome = await insertDeviceWithinLimit(context, user, device, (tx) =>
      tx.tokens.claim(serial, { userId, deviceId, at }),
    );
    if (outcome === 'device_limit') {
      throw registryError('device_limit', `A user can have at most ${config.maxDevicesPerUser} MFA devices`);
    }
    if (outcome === 'claim_failed') {
      // Another request assigned the token first, with these codes or others.
      await auditUser(context, at, user, {
        event: 'hardware_token_assign_failed',
        outcome: 'fail',
        detail: { serial, reason: 'replayed' },
      });
      return { ok: false, reason: 'replayed' };
    }
    await auditUser(context, at, user, {
      event: 'hardware_token_assigned',
      deviceId,
      outcome: 'ok',
      detail: { serial, driftSteps },
    });
    return { ok: true, deviceId, step: result.step, driftSteps };
  } finally {
    secret.fill(0);
  }
}
