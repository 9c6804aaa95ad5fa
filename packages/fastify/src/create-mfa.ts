/**
 * @module
 * `createMfa(options)`: the routes plugin (register it under a prefix) and the `requireMfa`
 * pre-handler factory for the app's own routes, sharing one checked configuration.
 */
import type { FastifyInstance, FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import { MfaHttpError, sendError } from './http-error.js';
import { type MfaConfig, type MfaOptions, resolveOptions } from './options.js';
import { createRequireMfa, type RequireMfaOptions } from './require-mfa.js';
import { credentialRoutes } from './routes-credentials.js';
import { deviceRoutes } from './routes-devices.js';
import { signInRoutes } from './routes-sign-in.js';

/** WebAuthn responses carry an attestation certificate: larger than a code. */
const WEBAUTHN_BODY_LIMIT = 65_536;

export interface Mfa {
  /** The JSON routes; `app.register(mfa.routes, { prefix: '/mfa' })`. */
  readonly routes: FastifyPluginAsync;
  /** A pre-handler that answers 401/403 unless the session passed MFA within `maxAgeSeconds`. */
  requireMfa(options?: RequireMfaOptions): preHandlerAsyncHookHandler;
  readonly config: MfaConfig;
}

export function createMfa(options: MfaOptions): Mfa {
  const config = resolveOptions(options);
  const routes: FastifyPluginAsync = async (app: FastifyInstance) => {
    // Only JSON, parsed by Fastify's parser (prototype poisoning refused) but with our own message:
    // JSON.parse's message quotes the body, which may hold a code.
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: config.bodyLimit },
      (request, body, done) => {
        parseJson(request, body as string, (error, value) => {
          if (error) done(new MfaHttpError(400, 'invalid_json', 'The body is not valid JSON'), undefined);
          else done(null, value);
        });
      },
    );
    app.setErrorHandler(sendError);
    // A callback hook, not an async one: no promise per answer.
    app.addHook('onSend', (_request, reply, payload, done) => {
      reply.header('cache-control', 'no-store');
      done(null, payload);
    });
    deviceRoutes(app, config);
    credentialRoutes(app, config, WEBAUTHN_BODY_LIMIT);
    signInRoutes(app, config, WEBAUTHN_BODY_LIMIT);
  };
  return Object.freeze({ routes, requireMfa: createRequireMfa(config), config });
}
