/**
 * @module
 * The checks both ceremonies make before handing the response to @simplewebauthn/server, so that
 * each refusal has a typed reason (WebAuthn Level 3 §7.1 steps 5–14 and §7.2 steps 10–17:
 * client data type, challenge and origin; rpIdHash; the UP flag). The library then repeats them
 * and checks signatures and attestation; whatever it refuses after these pass is a signature or
 * attestation failure.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { base64UrlDecode, base64UrlEncode } from '../base64url.js';
import { bytesEqual, isBytes, utf8 } from '../bytes.js';
import type { WebAuthnErrorCode } from './errors.js';

/**
 * What a WebAuthn response must match (WebAuthn Level 3 §7.1 and §7.2): the challenge the server
 * issued for this ceremony, and the origins and RP IDs it accepts — several values are
 * alternatives, any one matches. The challenge must be single-use: forget it once a response
 * has used it, whatever the outcome.
 */
export interface CeremonyExpectation {
  /** The challenge the server issued for this ceremony: bytes, or the base64url text it sent. */
  readonly challenge: Uint8Array | string;
  /** The origin(s) of the server's pages, e.g. `https://example.com`. */
  readonly origin: string | readonly string[];
  /** The RP ID(s): the server's domain, e.g. `example.com` (and a legacy U2F app id when the `appid` extension is used). */
  readonly rpId: string | readonly string[];
}

export interface NormalisedExpectation {
  readonly challenge: string;
  readonly origins: string[];
  readonly rpIds: string[];
}

function list(value: unknown, name: string): string[] {
  const values = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    values.some((entry) => typeof entry !== 'string' || entry === '')
  ) {
    throw new TypeError(`expected.${name} must be a non-empty string or array of strings`);
  }
  return [...values];
}

export function normaliseExpectation(expected: CeremonyExpectation): NormalisedExpectation {
  if (typeof expected !== 'object' || expected === null) throw new TypeError('expected is required');
  const { challenge } = expected;
  if (!isBytes(challenge) && (typeof challenge !== 'string' || challenge === '')) {
    throw new TypeError('expected.challenge must be the issued challenge (Uint8Array or base64url string)');
  }
  return {
    challenge: typeof challenge === 'string' ? challenge : base64UrlEncode(challenge),
    origins: list(expected.origin, 'origin'),
    rpIds: list(expected.rpId, 'rpId'),
  };
}

/** Decodes a base64url field of the response (browsers sometimes pad). */
export function decodeField(value: unknown): Uint8Array<ArrayBuffer> | undefined {
  return typeof value === 'string' ? base64UrlDecode(value) : undefined;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function checkClientData(
  clientDataJSON: unknown,
  type: 'webauthn.create' | 'webauthn.get',
  expected: NormalisedExpectation,
): WebAuthnErrorCode | undefined {
  const bytes = decodeField(clientDataJSON);
  if (bytes === undefined) return 'webauthn_malformed_response';
  let clientData: unknown;
  try {
    clientData = JSON.parse(decoder.decode(bytes));
  } catch {
    return 'webauthn_malformed_response';
  }
  if (typeof clientData !== 'object' || clientData === null) return 'webauthn_malformed_response';
  const fields = clientData as Record<string, unknown>;
  if (typeof fields.type !== 'string' || typeof fields.challenge !== 'string' || typeof fields.origin !== 'string') {
    return 'webauthn_malformed_response';
  }
  if (fields.type !== type) return 'webauthn_wrong_type';
  if (fields.challenge !== expected.challenge) return 'webauthn_wrong_challenge';
  if (!expected.origins.includes(fields.origin)) return 'webauthn_wrong_origin';
  return undefined;
}

/** §6.1: rpIdHash is the first 32 bytes, flags the 33rd (UP = bit 0). */
export function checkAuthenticatorData(
  authData: Uint8Array,
  expected: NormalisedExpectation,
): WebAuthnErrorCode | undefined {
  if (authData.length < 37) return 'webauthn_malformed_response';
  const rpIdHash = authData.subarray(0, 32);
  if (!expected.rpIds.some((rpId) => bytesEqual(sha256(utf8(rpId)), rpIdHash))) return 'webauthn_wrong_rp_id';
  if (((authData[32] as number) & 0x01) === 0) return 'webauthn_user_not_present';
  return undefined;
}
