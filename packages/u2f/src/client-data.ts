/**
 * @module
 * U2F client data (FIDO U2F JavaScript API §7.1 `ClientData`; Raw Message Formats §4.1 and §5.1:
 * the challenge parameter is "the SHA-256 hash of the Client Data"). The bytes are hashed as
 * received; their JSON must be an object whose `typ` names the ceremony, whose `challenge` is
 * the base64url challenge the server issued, and whose `origin` is one the server accepts.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { base64UrlEncode } from './base64url.js';
import { isBytes, utf8 } from './bytes.js';
import type { U2fErrorCode } from './errors.js';

/** `typ` of a registration's client data (JS API §7.1). */
export const U2F_REGISTRATION_TYP = 'navigator.id.finishEnrollment';
/** `typ` of an authentication's client data (JS API §7.1). */
export const U2F_AUTHENTICATION_TYP = 'navigator.id.getAssertion';

/** Client data this long is not a browser's or a native client's; hashing it is wasted work. */
export const MAX_CLIENT_DATA_BYTES = 8192;

export interface ClientDataExpectation {
  readonly typ: string;
  /** The challenge the server issued: its bytes, or the base64url text it sent. */
  readonly challenge: Uint8Array | string;
  /** The origin the server accepts, or several (the app id's trusted facets). */
  readonly origin: string | readonly string[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function assertExpectation(options: { challenge?: unknown; origin?: unknown }): void {
  const { challenge, origin } = options;
  if (!isBytes(challenge) && typeof challenge !== 'string') {
    throw new TypeError('options.challenge must be the issued challenge (Uint8Array or base64url string)');
  }
  const origins = typeof origin === 'string' ? [origin] : origin;
  if (!Array.isArray(origins) || origins.length === 0 || origins.some((entry) => typeof entry !== 'string')) {
    throw new TypeError('options.origin must be a string or a non-empty array of strings');
  }
}

/** Checks the client data; returns its SHA-256 (the challenge parameter) or the refusal code. */
export function checkClientData(clientData: Uint8Array, expected: ClientDataExpectation): Uint8Array | U2fErrorCode {
  if (clientData.length > MAX_CLIENT_DATA_BYTES) return 'u2f_bad_client_data';
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(clientData));
  } catch {
    return 'u2f_bad_client_data';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'u2f_bad_client_data';
  const { typ, challenge, origin } = parsed as Record<string, unknown>;
  if (typeof typ !== 'string' || typeof challenge !== 'string' || typeof origin !== 'string') {
    return 'u2f_bad_client_data';
  }
  if (typ !== expected.typ) return 'u2f_wrong_client_data_type';
  const issued = typeof expected.challenge === 'string' ? expected.challenge : base64UrlEncode(expected.challenge);
  if (challenge !== issued) return 'u2f_wrong_challenge';
  const origins = typeof expected.origin === 'string' ? [expected.origin] : expected.origin;
  if (!origins.includes(origin)) return 'u2f_wrong_origin';
  return sha256(clientData);
}

/** Arguments of the client-side helpers that build U2F client data (FIDO U2F JavaScript API §7.1). */
export interface U2fClientRequest {
  /** The app id: its SHA-256 is the application parameter the key signs. */
  readonly appId: string;
  /** The server's challenge, base64url, as it goes into the client data. */
  readonly challenge: string;
  /** The origin of the page (or the native client's facet). */
  readonly origin: string;
}

/** The client data a U2F client builds for `typ` (what the virtual key's client-side helpers send). */
export function u2fClientData(typ: string, request: U2fClientRequest): Uint8Array {
  if (typeof request !== 'object' || request === null) throw new TypeError('request is required');
  for (const field of ['appId', 'challenge', 'origin'] as const) {
    if (typeof request[field] !== 'string') throw new TypeError(`request.${field} must be a string`);
  }
  return utf8(JSON.stringify({ typ, challenge: request.challenge, origin: request.origin }));
}
