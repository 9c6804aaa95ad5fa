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

/**
 * What `createMfa` returns (frozen): the routes plugin, the `requireMfa` pre-handler factory, and
 * the checked configuration they share.
 */
export interface Mfa {
  /** The JSON routes; `app.register(mfa.routes, { prefix: '/mfa' })`. */
  readonly routes: FastifyPluginAsync;
  /**
   * A pre-handler for the app's sensitive routes (IAM's `aws:MultiFactorAuthPresent` and
   * `aws:MultiFactorAuthAge`): it answers 401 `not_signed_in` when nobody is signed in, and 403
   * `mfa_required` when this session never passed MFA or passed it more than `maxAgeSeconds` ago
   * on the registry's clock (a time in the future counts as never). Otherwise the route runs.
   *
   * @throws `RangeError` when `maxAgeSeconds` is not a whole number of seconds ≥ 1.
   */
  requireMfa(options?: RequireMfaOptions): preHandlerAsyncHookHandler;
  /** The checked, frozen options, defaults filled in. */
  readonly config: MfaConfig;
}

/**
 * Checks and freezes `options` and returns the plugin: `routes`, to register under a prefix
 * (`app.register(mfa.routes, { prefix: '/mfa' })`), and `requireMfa`, for the app's own sensitive
 * routes. The routes take only `application/json` bodies (anything else is 415), answer every
 * request with `cache-control: no-store`, and answer errors as `ErrorBody`.
 *
 * @throws `TypeError` when `options.registry` or a session hook is missing; `RangeError` for
 * `enrollMaxAgeSeconds` or `removeMaxAgeSeconds` outside 1 to 86 400 s, or `bodyLimit` outside
 * 512 to 1 048 576 bytes.
 */
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
