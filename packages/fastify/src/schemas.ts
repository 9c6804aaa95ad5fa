/**
 * @module
 * JSON schemas of the routes (validated by Fastify, published by @fastify/swagger). Codes are
 * ASCII digits and spaces only, so a full-width or Arabic-Indic digit is a 400 with a message
 * rather than a silent wrong code; names are checked further by `displayName` (no control or
 * format characters, NFC).
 */
import type { FastifySchema } from 'fastify';
import { MfaHttpError } from './http-error.js';

export const otpCode = {
  type: 'string',
  minLength: 6,
  maxLength: 16,
  pattern: '^[0-9 ]+$',
  description: 'A one-time code: ASCII digits (spaces are ignored)',
} as const;

export const recoveryCode = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[0-9A-Za-z -]+$',
  description: 'A recovery code as shown (letters and digits; spaces and hyphens are ignored)',
} as const;

export const sessionCode = {
  type: 'string',
  minLength: 1,
  maxLength: 16,
  pattern: '^[0-9 ]+$',
  description: 'A code received by email or SMS',
} as const;

export const deviceName = { type: 'string', minLength: 1, maxLength: 64 } as const;
export const id = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]*$' } as const;
export const serial = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9-]*$' } as const;

const base64url = { type: 'string', minLength: 1, maxLength: 16_384, pattern: '^[A-Za-z0-9_-]*={0,2}$' } as const;

/** A `PublicKeyCredential` as JSON (WebAuthn L3 §5.1.8 `toJSON()`), registration or assertion. */
export const credentialJson = {
  type: 'object',
  required: ['id', 'rawId', 'type', 'response'],
  properties: {
    id: base64url,
    rawId: base64url,
    type: { type: 'string', const: 'public-key' },
    authenticatorAttachment: { type: 'string', maxLength: 32 },
    clientExtensionResults: { type: 'object' },
    response: {
      type: 'object',
      required: ['clientDataJSON'],
      properties: {
        clientDataJSON: base64url,
        attestationObject: base64url,
        authenticatorData: base64url,
        signature: base64url,
        userHandle: { anyOf: [base64url, { type: 'null' }] },
        transports: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 32 } },
        publicKey: base64url,
        publicKeyAlgorithm: { type: 'integer' },
      },
    },
  },
} as const;

export const outcome = {
  type: 'object',
  required: ['ok'],
  properties: { ok: { type: 'boolean' } },
  description: 'Whether it worked; refusals (wrong, replayed, throttled, locked) are all `{ "ok": false }`',
} as const;

/** 401 on the sign-in routes: `{ ok: false }` for a refused code, `{ error, message }` when nobody is signed in. */
export const refusal = {
  type: 'object',
  properties: { ok: { type: 'boolean' }, error: { type: 'string' }, message: { type: 'string' } },
} as const;

export const errorBody = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;

export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  413: errorBody,
  415: errorBody,
  429: errorBody,
  503: errorBody,
} as const;

// Control, format (bidi overrides, zero-width), surrogate, private-use and unassigned code points.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\u2028\u2029]/u;

/**
 * A device name as people will read it: NFC, trimmed, without invisible or control characters.
 * `field` names the field in the refusal's message.
 *
 * @throws `MfaHttpError` 400 `invalid_request` for a control, formatting (bidi, zero-width),
 * surrogate, private-use or unassigned character, or a blank name.
 */
export function displayName(value: string, field = 'name'): string {
  if (HIDDEN.test(value)) {
    throw new MfaHttpError(
      400,
      'invalid_request',
      `${field} must be visible text: no control, formatting (bidi, zero-width) or unpaired surrogate characters`,
    );
  }
  const name = value.normalize('NFC').trim();
  if (name === '') throw new MfaHttpError(400, 'invalid_request', `${field} must not be blank`);
  return name;
}

/** The OpenAPI fields @fastify/swagger reads from a route schema (without depending on its types). */
export interface RouteDoc extends FastifySchema {
  tags?: string[];
  summary?: string;
  description?: string;
}

/** A route schema with its OpenAPI description. */
export function doc(schema: RouteDoc): FastifySchema {
  return schema;
}
