/**
 * @module
 * Virtual (authenticator app) devices, the AWS IAM way: `createVirtualDevice` makes a pending
 * device with a new secret and its otpauth URI / QR (CreateVirtualMFADevice); `enableDevice`
 * activates it after two consecutive codes prove the app holds the secret (EnableMFADevice with
 * AuthenticationCode1/2). A pending device cannot sign in and expires after `pendingTtlMs`.
 */
import { base32Encode, generateSecret } from '@mfakit/core';
import { auditUser, clampDrift, newId, type RegistryContext, requireDevice, requireUser } from './context.js';
import { insertDeviceWithinLimit } from './device-limit.js';
import { buildEnrollmentUri, enrollmentQrPng, enrollmentQrSvg } from './enrollment-uri.js';
import { registryError } from './errors.js';
import { newDeviceBase, type OtpDeviceRecord } from './model.js';
import type { ConsecutiveCodesResult } from './results.js';
import { deviceAssociatedData, sealSecret } from './secret-box.js';
import { assertId, assertName, assertOptions, canonicalDigits } from './validate.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * What the user needs to add the device to an authenticator app. Opaque: printing it, or
 * `JSON.stringify`, shows only the ids and expiry, never the secret, its base32 or the URI.
 * Hold it only as long as needed and call `destroy()` after.
 */
export class VirtualDeviceEnrollment {
  readonly deviceId: string;
  readonly userId: string;
  /** After this time the pending device can no longer be enabled. */
  readonly expiresAt: number;
  readonly #secret: Uint8Array;
  readonly #otpauthUri: string;

  constructor(fields: { deviceId: string; userId: string; expiresAt: number; secret: Uint8Array; otpauthUri: string }) {
    this.deviceId = fields.deviceId;
    this.userId = fields.userId;
    this.expiresAt = fields.expiresAt;
    this.#secret = fields.secret;
    this.#otpauthUri = fields.otpauthUri;
  }

  /** The raw secret (a copy). */
  get secret(): Uint8Array {
    return this.#secret.slice();
  }
  /** The secret for manual entry, base32 without padding. */
  get secretBase32(): string {
    return base32Encode(this.#secret).replace(/=+$/, '');
  }
  /** `otpauth://totp/issuer:user?secret=…` */
  get otpauthUri(): string {
    return this.#otpauthUri;
  }
  /** The otpauth URI as a QR code, SVG text. */
  qrSvg(): Promise<string> {
    return enrollmentQrSvg(this.#otpauthUri);
  }
  /** The otpauth URI as a QR code, PNG bytes. */
  qrPng(): Promise<Uint8Array> {
    return enrollmentQrPng(this.#otpauthUri);
  }
  /** Overwrites the secret held here. */
  destroy(): void {
    this.#secret.fill(0);
  }

  /** Only the ids and expiry: never the secret or the URI. */
  toJSON(): { deviceId: string; userId: string; expiresAt: number } {
    return { deviceId: this.deviceId, userId: this.userId, expiresAt: this.expiresAt };
  }
  /** Only the ids: never the secret or the URI. */
  toString(): string {
    return `VirtualDeviceEnrollment { deviceId: '${this.deviceId}', userId: '${this.userId}' }`;
  }
  /** As `toString()`: Node's `inspect` shows no secret either. */
  [inspectSymbol](): string {
    return this.toString();
  }
}

export async function createVirtualDevice(
  context: RegistryContext,
  userId: string,
  options: { name: string },
): Promise<VirtualDeviceEnrollment> {
  const { config } = context;
  assertId(userId, 'userId');
  assertOptions(options, 'options', true);
  const name = assertName(options.name, 'name');
  const user = await requireUser(context, userId);
  const at = config.clock.now();
  const deviceId = newId('dev');
  const secret = generateSecret();
  const sealed = await sealSecret(config.keys, secret, deviceAssociatedData(userId, deviceId));
  const device: OtpDeviceRecord = {
    ...newDeviceBase(deviceId, userId, name, 'pending', at),
    kind: 'virtual',
    encryptedSecret: sealed.blob,
    keyId: sealed.keyId,
    algorithm: config.algorithm,
    digits: config.digits,
    period: config.period,
    lastAcceptedStep: -1,
    driftSteps: 0,
    serial: null,
  };
  if ((await insertDeviceWithinLimit(context, user, device)) !== 'inserted') {
    secret.fill(0);
    throw registryError('device_limit', `A user can have at most ${config.maxDevicesPerUser} MFA devices`);
  }
  await auditUser(context, at, user, { event: 'device_created', deviceId, outcome: 'ok', detail: { kind: 'virtual' } });
  const otpauthUri = buildEnrollmentUri({
    secret,
    issuer: config.issuer,
    account: user.name,
    algorithm: config.algorithm,
    digits: config.digits,
    period: config.period,
  });
  return new VirtualDeviceEnrollment({ deviceId, userId, expiresAt: at + config.pendingTtlMs, secret, otpauthUri });
}

export async function enableDevice(
  context: RegistryContext,
  userId: string,
  deviceId: string,
  code1: string,
  code2: string,
): Promise<ConsecutiveCodesResult> {
  const { config } = context;
  assertId(userId, 'userId');
  assertId(deviceId, 'deviceId');
  const user = await requireUser(context, userId);
  const device = await requireDevice(context, userId, deviceId);
  if (device.kind !== 'virtual' || device.state !== 'pending') {
    throw registryError('device_state', `Only a pending virtual device can be enabled; this one is ${device.state}`);
  }
  const first = canonicalDigits(code1, 'code1', device.digits);
  const second = canonicalDigits(code2, 'code2', device.digits);
  if (first === undefined || second === undefined) return { ok: false, reason: 'malformed' };
  const at = config.clock.now();
  if (at - device.createdAt >= config.pendingTtlMs) {
    throw registryError('pending_expired', 'This pending device expired before it was enabled; create a new one');
  }
  const result = await context.deviceKeys.with(device, (key) =>
    key.verifyConsecutive(first, second, { at, window: config.enableWindow }),
  );
  if (!result.ok) {
    await auditUser(context, at, user, { event: 'device_enable_failed', deviceId, outcome: 'fail' });
    return { ok: false, reason: 'mismatch' };
  }
  const driftSteps = clampDrift(context, result.delta);
  if (!(await config.store.devices.activate(deviceId, { at, lastAcceptedStep: result.step, driftSteps }))) {
    // A concurrent request enabled (or removed) it first: these codes were used.
    await auditUser(context, at, user, {
      event: 'device_enable_failed',
      deviceId,
      outcome: 'fail',
      detail: { reason: 'replayed' },
    });
    return { ok: false, reason: 'replayed' };
  }
  await auditUser(context, at, user, { event: 'device_enabled', deviceId, outcome: 'ok', detail: { driftSteps } });
  return { ok: true, deviceId, step: result.step, driftSteps };
}
