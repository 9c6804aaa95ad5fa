/**
 * @module
 * `requireMfa({ maxAgeSeconds })`: a pre-handler for sensitive routes, the analog of AWS IAM's
 * `aws:MultiFactorAuthPresent` (the session passed an MFA check) and `aws:MultiFactorAuthAge`
 * (seconds since it did). Nobody signed in → 401 `not_signed_in`; no MFA in this session, or
 * older than `maxAgeSeconds` → 403 `mfa_required` (the client runs the MFA step again: step-up).
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { MfaHttpError, sendError } from './http-error.js';
import type { MfaConfig } from './options.js';

/** Options of `mfa.requireMfa`. */
export interface RequireMfaOptions {
  /** Longest time since the MFA step, in seconds (IAM's `aws:MultiFactorAuthAge`). Default: any age. */
  maxAgeSeconds?: number;
}

/** The signed-in user, or a 401. */
export async function signedInUser(config: MfaConfig, request: FastifyRequest): Promise<string> {
  const userId = await config.session.userId(request);
  if (typeof userId !== 'string' || userId === '') {
    throw new MfaHttpError(401, 'not_signed_in', 'Sign in first');
  }
  return userId;
}

/** Throws a 403 unless the session passed MFA within `maxAgeSeconds` (registry clock). */
export async function assertRecentMfa(
  config: MfaConfig,
  request: FastifyRequest,
  maxAgeSeconds: number | undefined,
): Promise<void> {
  const at = await config.session.mfaAt(request);
  const now = config.registry.config.clock.now();
  const fresh =
    typeof at === 'number' && at <= now && (maxAgeSeconds === undefined || now - at <= maxAgeSeconds * 1000);
  if (!fresh) {
    throw new MfaHttpError(
      403,
      'mfa_required',
      maxAgeSeconds === undefined
        ? 'This action needs the MFA step of sign-in'
        : `This action needs an MFA check in the last ${maxAgeSeconds} s; verify a code or key again`,
    );
  }
}

export function createRequireMfa(config: MfaConfig) {
  return function requireMfa(options: RequireMfaOptions = {}): preHandlerAsyncHookHandler {
    if (options === null || typeof options !== 'object') throw new TypeError('requireMfa options must be an object');
    const { maxAgeSeconds } = options;
    if (
      maxAgeSeconds !== undefined &&
      (typeof maxAgeSeconds !== 'number' || !Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 1)
    ) {
      throw new RangeError('maxAgeSeconds must be a whole number of seconds, at least 1');
    }
    return async function requireMfaHandler(request: FastifyRequest, reply: FastifyReply) {
      try {
        await signedInUser(config, request);
        await assertRecentMfa(config, request, maxAgeSeconds);
      } catch (error) {
        return sendError(error, request, reply);
      }
    };
  };
}
