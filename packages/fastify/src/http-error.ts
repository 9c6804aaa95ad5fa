/**
 * @module
 * Every error answer of the plugin is `{ error, message }` with a 4xx/5xx status: registry
 * refusals by `REGISTRY_ERROR_STATUS`, schema and parser refusals as 400/413/415, anything
 * unexpected as a 500 whose message says nothing about the cause (the cause goes to the log,
 * whose serialiser never sees a request body). Messages never echo input.
 */
import { isMfaError } from '@mfakit/core';
import { REGISTRY_ERROR_CODES, type RegistryErrorCode, RetryLaterError } from '@mfakit/registry';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { REGISTRY_ERROR_STATUS } from './error-status.js';

/** The JSON body of every error answer of the plugin. It never echoes the request. */
export interface ErrorBody {
  /**
   * A stable code for programs: a `RegistryErrorCode`, or `invalid_request`, `invalid_json`,
   * `body_too_large`, `unsupported_media_type`, `not_signed_in`, `mfa_required`, `internal`.
   */
  error: string;
  /** A sentence for people; may change between versions. */
  message: string;
}

/** An error the plugin raises itself: a status, a stable `error` code and a message for people. */
export class MfaHttpError extends Error {
  /** The HTTP status to answer with (4xx or 5xx). */
  readonly statusCode: number;
  /** The stable code the answer's `error` field carries. */
  readonly error: string;
  constructor(statusCode: number, error: string, message: string) {
    super(message);
    this.name = 'MfaHttpError';
    this.statusCode = statusCode;
    this.error = error;
  }
}

const registryCodes = new Set<string>(REGISTRY_ERROR_CODES);

function isRegistryCode(code: string): code is RegistryErrorCode {
  return registryCodes.has(code);
}

/** Fastify's own refusals of a request, by code, in words a client developer can act on. */
const FASTIFY_MESSAGES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'The request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the body as application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'The body is empty; send a JSON object'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request', 'Content-Length does not match the body'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The body is not valid JSON'],
};

/**
 * The status, body and extra headers the plugin answers for `error`:
 *
 * - an `MfaHttpError` as raised;
 * - a `RetryLaterError` (throttled) as 429 with `Retry-After` in whole seconds (at least 1);
 * - a registry `MfaError` by `REGISTRY_ERROR_STATUS`, with a fixed message for 5xx instead of the
 *   error's own;
 * - Fastify's schema and body-parser refusals as 400, 413 or 415;
 * - anything else as 500 `internal`, saying nothing of the cause.
 *
 * An app's own error handler can use it to answer as the plugin does. It logs nothing.
 */
export function errorAnswer(error: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (error instanceof MfaHttpError) {
    return { status: error.statusCode, body: { error: error.error, message: error.message } };
  }
  if (error instanceof RetryLaterError) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return {
      status: 429,
      body: { error: error.code, message: `Too many attempts; try again in ${seconds} s` },
      headers: { 'retry-after': String(seconds) },
    };
  }
  if (isMfaError(error) && isRegistryCode(error.code)) {
    const status = REGISTRY_ERROR_STATUS[error.code];
    const message =
      status >= 500 ? 'The MFA service is unavailable; nothing was accepted. Try again later' : error.message;
    return { status, body: { error: error.code, message } };
  }
  const fastifyError = error as Partial<FastifyError> | null;
  if (fastifyError !== null && typeof fastifyError === 'object') {
    if (Array.isArray(fastifyError.validation)) {
      return { status: 400, body: { error: 'invalid_request', message: String(fastifyError.message) } };
    }
    const known = typeof fastifyError.code === 'string' ? FASTIFY_MESSAGES[fastifyError.code] : undefined;
    if (known !== undefined) return { status: known[0], body: { error: known[1], message: known[2] } };
    const status = fastifyError.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { status, body: { error: 'invalid_request', message: 'The request was refused' } };
    }
  }
  return { status: 500, body: { error: 'internal', message: 'The server could not complete the request' } };
}

/** The plugin's error handler: the answer above; 5xx causes are logged (never request bodies). */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = errorAnswer(error);
  if (answer.status >= 500) request.log.error({ err: error }, 'MFA request failed');
  if (answer.headers !== undefined) reply.headers(answer.headers);
  return reply.code(answer.status).header('cache-control', 'no-store').send(answer.body);
}
