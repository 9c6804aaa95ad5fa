/**
 * @module
 * @mfakit/fastify — AWS-style MFA for a Fastify 5 app over an @mfakit/registry `Registry`: JSON
 * routes for enrollment (authenticator apps, hardware tokens, security keys), resync, removal,
 * recovery codes, the MFA step of sign-in and lost-device recovery, and a
 * `requireMfa({ maxAgeSeconds })` pre-handler for step-up. The app keeps passwords and sessions.
 */
export { createMfa, type Mfa } from './create-mfa.js';
export { REGISTRY_ERROR_STATUS } from './error-status.js';
export { type ErrorBody, errorAnswer, MfaHttpError } from './http-error.js';
export { MFA_LOG_REDACT_PATHS } from './log-redaction.js';
export type { MfaConfig, MfaMethod, MfaOptions, MfaPassed, MfaSessionHooks } from './options.js';
export type { RequireMfaOptions } from './require-mfa.js';
export { removeOwnDevice } from './routes-devices.js';
export { displayName } from './schemas.js';
