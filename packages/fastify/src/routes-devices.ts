/**
 * @module
 * Device routes: list, add a virtual device (CreateVirtualMFADevice: otpauth URI, QR SVG and the
 * secret for manual entry, then EnableMFADevice with two consecutive codes), assign a hardware
 * token by serial, resync (ResyncMFADevice) and remove (DeactivateMFADevice, step-up).
 */
import type { Registry } from '@mfakit/registry';
import type { FastifyInstance } from 'fastify';
import { assertMayAddCredential } from './credential-policy.js';
import type { MfaConfig } from './options.js';
import { assertRecentMfa, signedInUser } from './require-mfa.js';
import { deviceName, displayName, doc, errorResponses, id, otpCode, outcome, serial } from './schemas.js';

const tags = ['MFA devices'];

const nullableNumber = { type: ['number', 'null'] } as const;
const deviceSchema = {
  type: 'object',
  required: ['id', 'kind', 'name', 'state', 'createdAt', 'enabledAt', 'lastUsedAt'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['virtual', 'hardware', 'security-key'] },
    name: { type: 'string' },
    state: { type: 'string', enum: ['pending', 'active', 'deactivated'] },
    createdAt: { type: 'number' },
    enabledAt: nullableNumber,
    deactivatedAt: nullableNumber,
    lastUsedAt: nullableNumber,
    serial: { type: ['string', 'null'] },
    driftSteps: { type: 'number' },
    transports: { type: 'array', items: { type: 'string' } },
    flaggedAt: nullableNumber,
  },
} as const;

const twoCodes = {
  type: 'object',
  required: ['code1', 'code2'],
  additionalProperties: false,
  properties: { code1: otpCode, code2: otpCode },
} as const;

const codesOutcome = { ...outcome, properties: { ok: { type: 'boolean' }, deviceId: { type: 'string' } } } as const;
const deviceParams = { type: 'object', required: ['deviceId'], properties: { deviceId: id } } as const;

export function deviceRoutes(app: FastifyInstance, config: MfaConfig): void {
  const { registry } = config;

  app.get(
    '/devices',
    {
      schema: doc({
        tags,
        summary: "The signed-in user's MFA devices (never secrets)",
        response: {
          200: { type: 'object', properties: { devices: { type: 'array', items: deviceSchema } } },
          ...errorResponses,
        },
      }),
    },
    async (request) => {
      const userId = await signedInUser(config, request);
      return { devices: await registry.listDevices(userId) };
    },
  );

  app.post<{ Body: { name: string } }>(
    '/devices/virtual',
    {
      schema: doc({
        tags,
        summary: 'Start adding an authenticator app: a pending device, its otpauth URI, QR code (SVG) and secret',
        body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: deviceName } },
        response: {
          201: {
            type: 'object',
            properties: {
              deviceId: { type: 'string' },
              expiresAt: { type: 'number' },
              otpauthUri: { type: 'string' },
              secret: { type: 'string', description: 'base32, for manual entry' },
              qrSvg: { type: 'string' },
            },
          },
          ...errorResponses,
        },
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      const name = displayName(request.body.name);
      await assertMayAddCredential(config, request, userId);
      const enrollment = await registry.createVirtualDevice(userId, { name });
      try {
        const answer = {
          deviceId: enrollment.deviceId,
          expiresAt: enrollment.expiresAt,
          otpauthUri: enrollment.otpauthUri,
          secret: enrollment.secretBase32,
          qrSvg: await enrollment.qrSvg(),
        };
        return reply.code(201).send(answer);
      } finally {
        enrollment.destroy();
      }
    },
  );

  app.post<{ Params: { deviceId: string }; Body: { code1: string; code2: string } }>(
    '/devices/:deviceId/enable',
    {
      schema: doc({
        tags,
        summary: 'Enable a pending virtual device with two consecutive codes (EnableMFADevice)',
        params: deviceParams,
        body: twoCodes,
        response: { 200: codesOutcome, 422: outcome, ...errorResponses },
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      const { code1, code2 } = request.body;
      const result = await registry.enableDevice(userId, request.params.deviceId, code1, code2);
      if (!result.ok) return reply.code(422).send({ ok: false });
      // Two consecutive codes of a device now bound to the account prove possession: an MFA check.
      const at = registry.config.clock.now();
      await config.session.mfaPassed(request, reply, { userId, at, method: 'code', deviceId: result.deviceId });
      return { ok: true, deviceId: result.deviceId };
    },
  );

  app.post<{ Body: { serial: string; code1: string; code2: string; name?: string } }>(
    '/devices/hardware',
    {
      schema: doc({
        tags,
        summary: 'Assign a hardware TOTP token by its serial number, with two consecutive codes',
        body: {
          type: 'object',
          required: ['serial', 'code1', 'code2'],
          additionalProperties: false,
          properties: { serial, code1: otpCode, code2: otpCode, name: deviceName },
        },
        response: { 200: codesOutcome, 422: outcome, ...errorResponses },
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      const { serial: tokenSerial, code1, code2 } = request.body;
      const name = request.body.name === undefined ? undefined : displayName(request.body.name);
      await assertMayAddCredential(config, request, userId);
      const result = await registry.assignHardwareDevice(
        userId,
        tokenSerial,
        code1,
        code2,
        name === undefined ? undefined : { name },
      );
      if (!result.ok) return reply.code(422).send({ ok: false });
      const at = registry.config.clock.now();
      await config.session.mfaPassed(request, reply, { userId, at, method: 'code', deviceId: result.deviceId });
      return { ok: true, deviceId: result.deviceId };
    },
  );

  app.post<{ Params: { deviceId: string }; Body: { code1: string; code2: string } }>(
    '/devices/:deviceId/resync',
    {
      schema: doc({
        tags,
        summary: "Re-learn a device's clock drift from two consecutive codes (ResyncMFADevice)",
        params: deviceParams,
        body: twoCodes,
        response: { 200: outcome, 422: outcome, ...errorResponses },
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      const { code1, code2 } = request.body;
      const result = await registry.resyncDevice(userId, request.params.deviceId, code1, code2);
      return reply.code(result.ok ? 200 : 422).send({ ok: result.ok });
    },
  );

  app.delete<{ Params: { deviceId: string } }>(
    '/devices/:deviceId',
    {
      schema: doc({
        tags,
        summary: 'Remove (deactivate) one of your devices; needs a recent MFA check',
        params: deviceParams,
        response: { 200: outcome, ...errorResponses },
      }),
    },
    async (request) => {
      const userId = await signedInUser(config, request);
      await assertRecentMfa(config, request, config.removeMaxAgeSeconds);
      await removeOwnDevice(registry, userId, request.params.deviceId);
      return { ok: true };
    },
  );
}

/** Removes one of the user's devices through the registry (404 for another user's device, 409 when already removed). */
export async function removeOwnDevice(registry: Registry, userId: string, deviceId: string): Promise<void> {
  await registry.removeDevice(userId, deviceId);
}
