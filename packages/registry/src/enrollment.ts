/**
 * @module
 * Virtual (authenticator app) devices, the AWS IAM way: `createVirtualDevice` makes a pending
 * device with a new secret and its otpauth URI / QR (CreateVirtualMFADevice); `enableDevice`
 * activates it after two consecutive codes prove the app holds the secret (EnableMFADevice with
 * AuthenticationCode1/2). A pending device cannot sign in and expires after `pendingTtlMs`.
 */
import { base32Encode, generateSecret } from '@mfakit/core';
import { audit, clampDrift, deviceAndCodes, newId, type RegistryContext, requireUser } from './context.js';
import { buildEnrollmentUri, enrollmentQrPng, enrollmentQrSvg } from './enrollment-uri.js';
import { registryError } from './errors.js';
import type { DeviceRecord } from './model.js';
import type { ConsecutiveCodesResult } from './results.js';
import { deviceAssociatedData, sealSecret } from './secret-box.js';
import { assertId, assertName } from './validate.js';

/** What the user needs to add the device to an authenticator app. Hold it only as long as needed. */
export interface VirtualDeviceEnrollment {
  deviceId: string;
  userId: string;
  /** The raw secret (for manual entry as `secretBase32`). */
  secret: Uint8Array;
  secretBase32: string;
  /** `otpauth://totp/issuer:user?secret=…` */
  otpauthUri: string;
  /** After this time the pending device can no longer be enabled. */
  expiresAt: number;
  qrSvg(): Promise<string>;
  qrPng(): Promise<Uint8Array>;
}

export async function createVirtualDevice(
  context: RegistryContext,
  userId: string,
  options: { name: string },
): Promise<VirtualDeviceEnrollment> {
  const { config } = context;
  assertId(userId, 'userId');
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object with a name');
  const name = assertName(options.name, 'name');
  const user = await requireUser(context, userId);
  const at = config.clock.now();
  const expired = await config.store.deleteExpiredPendingDevices(userId, at - config.pendingTtlMs);
  for (const deviceId of expired) {
    await audit(context, at, { event: 'pending_device_expired', actor: 'system', userId, deviceId, outcome: 'ok' });
  }
  const deviceId = newId('dev');
  const secret = generateSecret();
  const sealed = await sealSecret(config.keys, secret, deviceAssociatedData(deviceId));
  const device: DeviceRecord = {
    id: deviceId,
    userId,
    kind: 'virtual',
    name,
    state: 'pending',
    createdAt: at,
    enabledAt: null,
    deactivatedAt: null,
    encryptedSecret: sealed.blob,
    keyId: sealed.keyId,
    algorithm: config.algorithm,
    digits: config.digits,
    period: config.period,
    lastAcceptedStep: -1,
    driftSteps: 0,
    lastUsedAt: null,
    serial: null,
    extension: null,
  };
  if ((await config.store.insertDevice(device, config.maxDevicesPerUser)) === 'device_limit') {
    secret.fill(0);
    throw registryError('device_limit', `A user can have at most ${config.maxDevicesPerUser} MFA devices`);
  }
  await audit(context, at, {
    event: 'device_created',
    actor: userId,
    userId,
    deviceId,
    outcome: 'ok',
    detail: { kind: 'virtual' },
  });
  const otpauthUri = buildEnrollmentUri({
    secret,
    issuer: config.issuer,
    account: user.name,
    algorithm: config.algorithm,
    digits: config.digits,
    period: config.period,
  });
  return {
    deviceId,
    userId,
    secret,
    secretBase32: base32Encode(secret).replace(/=+$/, ''),
    otpauthUri,
    expiresAt: at + config.pendingTtlMs,
    qrSvg: () => enrollmentQrSvg(otpauthUri),
    qrPng: () => enrollmentQrPng(otpauthUri),
  };
}

export async function enableDevice(
  context: RegistryContext,
  userId: string,
  deviceId: string,
  code1: string,
  code2: string,
): Promise<ConsecutiveCodesResult> {
  const { config } = context;
  const { device, first, second } = await deviceAndCodes(context, userId, deviceId, code1, code2);
  if (device.kind !== 'virtual' || device.state !== 'pending') {
    throw registryError('device_state', `Only a pending virtual device can be enabled; this one is ${device.state}`);
  }
  const at = config.clock.now();
  if (at - device.createdAt >= config.pendingTtlMs) {
    throw registryError('pending_expired', 'This pending device expired before it was enabled; create a new one');
  }
  const result = await context.deviceKeys.with(device, (key) =>
    key.verifyConsecutive(first, second, { at, window: config.enableWindow }),
  );
  if (!result.ok) {
    await audit(context, at, { event: 'device_enable_failed', actor: userId, userId, deviceId, outcome: 'fail' });
    return { ok: false, reason: 'mismatch' };
  }
  const driftSteps = clampDrift(context, result.delta);
  if (!(await config.store.activateDevice(deviceId, { at, lastAcceptedStep: result.step, driftSteps }))) {
    throw registryError('device_state', 'The device was enabled or removed concurrently');
  }
  await audit(context, at, {
    event: 'device_enabled',
    actor: userId,
    userId,
    deviceId,
    outcome: 'ok',
    detail: { driftSteps },
  });
  return { ok: true, deviceId, step: result.step, driftSteps };
}

/**
 * Extension point for U2F security keys: records an active `u2f` device whose registration
 * data (key handle, public key — as produced by @mfakit/u2f) is kept as text. Verification of
 * u2f devices belongs to @mfakit/u2f; `verifySignIn` only tries OTP devices.
 */
export async function registerU2fDevice(
  context: RegistryContext,
  userId: string,
  options: { name: string; registration: string },
): Promise<string> {
  const { config } = context;
  assertId(userId, 'userId');
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const name = assertName(options.name, 'name');
  if (typeof options.registration !== 'string') throw new TypeError('registration must be a string');
  if (options.registration.length === 0 || options.registration.length > 4096) {
    throw registryError('invalid_input', 'registration must be 1-4096 characters');
  }
  await requireUser(context, userId);
  const at = config.clock.now();
  const deviceId = newId('dev');
  const device: DeviceRecord = {
    id: deviceId,
    userId,
    kind: 'u2f',
    name,
    state: 'active',
    createdAt: at,
    enabledAt: at,
    deactivatedAt: null,
    encryptedSecret: null,
    keyId: null,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    lastAcceptedStep: -1,
    driftSteps: 0,
    lastUsedAt: null,
    serial: null,
    extension: options.registration,
  };
  if ((await config.store.insertDevice(device, config.maxDevicesPerUser)) === 'device_limit') {
    throw registryError('device_limit', `A user can have at most ${config.maxDevicesPerUser} MFA devices`);
  }
  await audit(context, at, {
    event: 'device_created',
    actor: userId,
    userId,
    deviceId,
    outcome: 'ok',
    detail: { kind: 'u2f' },
  });
  return deviceId;
}
