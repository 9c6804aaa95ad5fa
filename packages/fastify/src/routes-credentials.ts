/**
 * @module
 * Security key registration (WebAuthn begin/finish), recovery codes (shown once), and
 * lost-device recovery (codes to the user's email and phone; both complete it).
 */
import type { Registry } from '@mfakit/registry';
import type { FastifyInstance } from 'fastify';
import { assertMayAddCredential } from './credential-policy.js';
import { MfaHttpError } from './http-error.js';
import type { MfaConfig } from './options.js';
import { signedInUser } from './require-mfa.js';
import {
  credentialJson,
  deviceName,
  displayName,
  doc,
  errorResponses,
  id,
  outcome,
  refusal,
  sessionCode,
} from './schemas.js';

type RegistrationResponseLike = Parameters<Registry['finishSecurityKeyRegistration']>[1];

export function credentialRoutes(app: FastifyInstance, config: MfaConfig, webAuthnBodyLimit: number): void {
  const { registry } = config;

  app.post(
    '/security-keys/registration/begin',
    {
      schema: doc({
        tags: ['MFA devices'],
        summary: 'WebAuthn creation options (navigator.credentials.create) to register a security key',
      }),
    },
    async (request) => {
      const userId = await signedInUser(config, request);
      await assertMayAddCredential(config, request, userId);
      return registry.beginSecurityKeyRegistration(userId);
    },
  );

  app.post<{ Body: { credential: RegistrationResponseLike; name: string } }>(
    '/security-keys/registration/finish',
    {
      bodyLimit: webAuthnBodyLimit,
      schema: doc({
        tags: ['MFA devices'],
        summary: "The security key's registration response (PublicKeyCredential.toJSON()) and a name for it",
        body: {
          type: 'object',
          required: ['credential', 'name'],
          additionalProperties: false,
          properties: { credential: credentialJson, name: deviceName },
        },
        response: {
          201: { type: 'object', properties: { ok: { type: 'boolean' }, deviceId: { type: 'string' } } },
          ...errorResponses,
        },
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      const name = displayName(request.body.name);
      await assertMayAddCredential(config, request, userId);
      const result = await registry.finishSecurityKeyRegistration(userId, request.body.credential, { name });
      if (!result.ok) {
        // The user's own key and ceremony: saying which check failed helps them and tells an attacker nothing.
        throw new MfaHttpError(400, 'security_key_refused', `The security key was not registered (${result.reason})`);
      }
      return reply.code(201).send({ ok: true, deviceId: result.deviceId });
    },
  );

  app.post(
    '/recovery-codes',
    {
      schema: doc({
        tags: ['MFA recovery'],
        summary: 'New single-use recovery codes (replacing the old set); shown once',
        response: {
          201: { type: 'object', properties: { codes: { type: 'array', items: { type: 'string' } } } },
          ...errorResponses,
        },
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      await assertMayAddCredential(config, request, userId);
      return reply.code(201).send({ codes: await registry.generateRecoveryCodes(userId) });
    },
  );

  app.post(
    '/recovery/start',
    {
      schema: doc({
        tags: ['MFA recovery'],
        summary: 'Lost your MFA device? Sends one code to your email and one to your phone',
        response: {
          202: {
            type: 'object',
            properties: {
              sessionId: { type: 'string' },
              expiresAt: { type: 'number' },
              sentTo: { type: 'array', items: { type: 'string' } },
            },
          },
          ...errorResponses,
        },
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      const started = await registry.startRecovery(userId);
      const sentTo = (['email', 'phone'] as const).filter((channel) => !started.failedNotices.includes(channel));
      return reply.code(202).send({ sessionId: started.sessionId, expiresAt: started.expiresAt, sentTo });
    },
  );

  app.post<{ Body: { sessionId: string; emailCode: string; phoneCode: string } }>(
    '/recovery/complete',
    {
      schema: doc({
        tags: ['MFA recovery'],
        summary: 'Both codes: every MFA device is deactivated and the lockout cleared; enroll a new device next',
        body: {
          type: 'object',
          required: ['sessionId', 'emailCode', 'phoneCode'],
          additionalProperties: false,
          properties: { sessionId: id, emailCode: sessionCode, phoneCode: sessionCode },
        },
        response: { ...errorResponses, 200: outcome, 401: refusal },
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      const { sessionId, emailCode, phoneCode } = request.body;
      // Only the signed-in user's own sessions: another user's answers as unknown (404).
      const result = await registry.completeRecovery(sessionId, emailCode, phoneCode, { userId });
      if (!result.ok) return reply.code(401).send({ ok: false });
      const at = registry.config.clock.now();
      await config.session.mfaPassed(request, reply, { userId, at, method: 'lost-device-recovery' });
      return { ok: true };
    },
  );
}
