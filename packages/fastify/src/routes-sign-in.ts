/**
 * @module
 * The MFA step of sign-in, after the app's first factor: a code from any active OTP device, a
 * security key (WebAuthn begin/finish), or a single-use recovery code. Every refusal — wrong,
 * replayed, malformed, throttled, locked out — is the same 401 `{ "ok": false }`
 * (`publicOutcome`); on success the app's `mfaPassed` hook records the time.
 */
import { publicOutcome, type Registry } from '@mfakit/registry';
import type { FastifyInstance } from 'fastify';
import type { MfaConfig } from './options.js';
import { signedInUser } from './require-mfa.js';
import { credentialJson, doc, errorResponses, otpCode, outcome, recoveryCode, refusal } from './schemas.js';

type AuthenticationResponseLike = Parameters<Registry['verifySecurityKeySignIn']>[1];

const tags = ['MFA sign-in'];
const signInResponses = { ...errorResponses, 200: outcome, 401: refusal } as const;

export function signInRoutes(app: FastifyInstance, config: MfaConfig, webAuthnBodyLimit: number): void {
  const { registry } = config;

  app.post<{ Body: { code: string } }>(
    '/sign-in/code',
    {
      schema: doc({
        tags,
        summary: 'The MFA step: a code from an active authenticator app or hardware token',
        body: { type: 'object', required: ['code'], additionalProperties: false, properties: { code: otpCode } },
        response: signInResponses,
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      const result = await registry.verifySignIn(userId, request.body.code);
      if (result.ok) {
        const at = registry.config.clock.now();
        await config.session.mfaPassed(request, reply, { userId, at, method: 'code', deviceId: result.deviceId });
      }
      return reply.code(result.ok ? 200 : 401).send(publicOutcome(result));
    },
  );

  app.post<{ Body: { code: string } }>(
    '/sign-in/recovery-code',
    {
      schema: doc({
        tags,
        summary: 'The MFA step with a single-use recovery code (clears an OTP lockout)',
        body: { type: 'object', required: ['code'], additionalProperties: false, properties: { code: recoveryCode } },
        response: signInResponses,
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      const result = await registry.useRecoveryCode(userId, request.body.code);
      if (result.ok) {
        const at = registry.config.clock.now();
        await config.session.mfaPassed(request, reply, { userId, at, method: 'recovery-code' });
      }
      return reply.code(result.ok ? 200 : 401).send(publicOutcome(result));
    },
  );

  app.post(
    '/sign-in/security-key/begin',
    {
      schema: doc({
        tags,
        summary: 'WebAuthn request options (navigator.credentials.get) for the MFA step with a security key',
      }),
    },
    async (request) => {
      const userId = await signedInUser(config, request);
      return registry.beginSecurityKeySignIn(userId);
    },
  );

  app.post<{ Body: { credential: AuthenticationResponseLike } }>(
    '/sign-in/security-key/finish',
    {
      bodyLimit: webAuthnBodyLimit,
      schema: doc({
        tags,
        summary: "The MFA step: the security key's assertion (PublicKeyCredential.toJSON())",
        body: {
          type: 'object',
          required: ['credential'],
          additionalProperties: false,
          properties: { credential: credentialJson },
        },
        response: signInResponses,
      }),
    },
    async (request, reply) => {
      const userId = await signedInUser(config, request);
      const result = await registry.verifySecurityKeySignIn(userId, request.body.credential);
      if (result.ok) {
        const at = registry.config.clock.now();
        await config.session.mfaPassed(request, reply, {
          userId,
          at,
          method: 'security-key',
          deviceId: result.deviceId,
        });
      }
      return reply.code(result.ok ? 200 : 401).send(publicOutcome(result));
    },
  );
}
