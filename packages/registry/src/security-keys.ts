/**
 * @module
 * FIDO security keys over WebAuthn (the AWS console's "security key" MFA device). Registration:
 * `beginSecurityKeyRegistration` issues creation options with a fresh challenge, and
 * `finishSecurityKeyRegistration` checks the browser's response (@mfakit/u2f/webauthn on
 * @simplewebauthn/server: client data, RP ID, user presence, `fido-u2f` / `packed` / `none`
 * attestation) and stores the key as an active device under the 8-device limit. Sign-in:
 * `beginSecurityKeySignIn` lists the user's keys with a fresh challenge, and
 * `verifySecurityKeySignIn` answers with the same `SignInResult` and the same attempt throttle
 * as a one-time code.
 *
 * Challenges (WebAuthn §13.4.3) are 32 random bytes, bound to the user and the ceremony, single
 * use (`challenges.take` deletes them atomically) and short-lived (`challengeTtlMs`), and live in
 * the store so every server instance can finish a ceremony another one began.
 *
 * The sign counter (§6.1.1) advances with a compare-and-set, like `lastAcceptedStep`. A valid
 * signature whose counter did not grow (unless both are 0: keys without a counter) is a clone
 * signal: the sign-in is refused, audited as `security_key_counter_regression`, and the key is
 * flagged — and refused from then on, until an administrator or the user removes it (it shows in
 * `listDevices` and the credential report). Audit records name the credential id, never
 * signatures or challenges.
 */
import { isRecord } from '@mfakit/core/validate';
import {
  base64UrlDecode,
  base64UrlEncode,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@mfakit/u2f';
import {
  type AuthenticationResponseLike,
  type RegistrationResponseLike,
  type SecurityKeyCredential,
  verifySecurityKeyAssertion,
  verifySecurityKeyRegistration,
  type WebAuthnErrorCode,
} from '@mfakit/u2f/webauthn';
import { randomBytes } from '@noble/hashes/utils.js';
import type { RegistryConfig } from './config.js';
import { audit, byUser, newId, type RegistryContext, requireUser } from './context.js';
import { insertDeviceWithinLimit } from './device-limit.js';
import { registryError } from './errors.js';
import type { ChallengeCeremony, SecurityKeyRecord, UserRecord } from './model.js';
import type { SignInResult } from './results.js';
import { attemptFailed, attemptSucceeded, reserveAttempt, unchecked } from './throttle.js';
import { assertId, assertName, assertOptions } from './validate.js';

const CHALLENGE_BYTES = 32;
/** COSE algorithm ES256 (RFC 9053 §2.1): what every FIDO security key signs with. */
const ES256 = -7;
/** Longest clientDataJSON (base64url) read to find the challenge; a browser's is a few hundred bytes. */
const MAX_CLIENT_DATA = 8192;

export type SecurityKeyRegistrationResult =
  | { ok: true; deviceId: string }
  | {
      ok: false;
      /** Why the response was refused: a WebAuthn check, or the challenge (unknown, used, expired, another user's). */
      reason: WebAuthnErrorCode | 'unknown_challenge' | 'credential_exists';
    };

function relyingParty(config: RegistryConfig): NonNullable<RegistryConfig['webauthn']> {
  if (config.webauthn === undefined) {
    throw new TypeError('Security keys need the relying party: pass `webauthn: { rpId, origin }` to the Registry');
  }
  return config.webauthn;
}

async function activeKeys(context: RegistryContext, userId: string): Promise<SecurityKeyRecord[]> {
  return (await context.config.store.devices.list({ userId })).filter(
    (device): device is SecurityKeyRecord => device.kind === 'security-key' && device.state === 'active',
  );
}

function descriptor(key: SecurityKeyRecord) {
  return {
    type: 'public-key',
    id: base64UrlEncode(key.credentialId),
    ...(key.transports === '' ? {} : { transports: key.transports.split(',') }),
  };
}

async function issueChallenge(context: RegistryContext, userId: string, ceremony: ChallengeCeremony): Promise<string> {
  const { store, clock, challengeTtlMs } = context.config;
  const at = clock.now();
  await store.challenges.deleteExpired(userId, at);
  const id = base64UrlEncode(randomBytes(CHALLENGE_BYTES));
  await store.challenges.insert({ id, userId, ceremony, createdAt: at, expiresAt: at + challengeTtlMs });
  return id;
}

/**
 * The challenge the response's clientDataJSON names, taken (used up) from the store, if it was
 * issued to this user for this ceremony and has not expired; undefined otherwise.
 */
async function takeChallenge(
  context: RegistryContext,
  userId: string,
  ceremony: ChallengeCeremony,
  response: unknown,
  at: number,
): Promise<string | undefined> {
  const clientDataJSON =
    isRecord(response) && isRecord(response.response) ? response.response.clientDataJSON : undefined;
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > MAX_CLIENT_DATA) return undefined;
  const bytes = base64UrlDecode(clientDataJSON);
  if (bytes === undefined) return undefined;
  let clientData: unknown;
  try {
    clientData = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (!isRecord(clientData) || typeof clientData.challenge !== 'string' || clientData.challenge.length > 256) {
    return undefined;
  }
  const record = await context.config.store.challenges.take(clientData.challenge);
  if (record === undefined || record.userId !== userId || record.ceremony !== ceremony || record.expiresAt <= at) {
    return undefined;
  }
  return record.id;
}

/** Creation options for `navigator.credentials.create()` (WebAuthn §5.4), with a fresh challenge. */
export async function beginSecurityKeyRegistration(
  context: RegistryContext,
  userId: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { config } = context;
  const rp = relyingParty(config);
  assertId(userId, 'userId');
  const user = await requireUser(context, userId);
  const existing = (await context.config.store.devices.list({ userId })).filter(
    (device): device is SecurityKeyRecord => device.kind === 'security-key' && device.state !== 'deactivated',
  );
  const challenge = await issueChallenge(context, userId, 'registration');
  return {
    rp: { id: rp.rpId, name: rp.rpName },
    user: { id: base64UrlEncode(new TextEncoder().encode(user.id)), name: user.name, displayName: user.name },
    challenge,
    pubKeyCredParams: [{ type: 'public-key', alg: ES256 }],
    timeout: config.challengeTtlMs,
    excludeCredentials: existing.map(descriptor),
    authenticatorSelection: {
      authenticatorAttachment: 'cross-platform',
      residentKey: 'discouraged',
      requireResidentKey: false,
      userVerification: 'discouraged',
    },
    attestation: 'direct',
  };
}

async function registrationRefused(
  context: RegistryContext,
  user: UserRecord,
  at: number,
  reason: Exclude<SecurityKeyRegistrationResult, { ok: true }>['reason'],
): Promise<SecurityKeyRegistrationResult> {
  await audit(context, at, {
    ...byUser(user),
    event: 'security_key_registration_failed',
    outcome: 'fail',
    detail: { reason },
  });
  return { ok: false, reason };
}

/** Checks the browser's registration response and stores the key as an active device. */
export async function finishSecurityKeyRegistration(
  context: RegistryContext,
  userId: string,
  response: RegistrationResponseLike,
  options: { name: string },
): Promise<SecurityKeyRegistrationResult> {
  const { config } = context;
  const rp = relyingParty(config);
  assertId(userId, 'userId');
  assertOptions(options, 'options', true);
  const name = assertName(options.name, 'name');
  const user = await requireUser(context, userId);
  const at = config.clock.now();
  const challenge = await takeChallenge(context, userId, 'registration', response, at);
  if (challenge === undefined) return registrationRefused(context, user, at, 'unknown_challenge');
  let credential: SecurityKeyCredential;
  try {
    credential = await verifySecurityKeyRegistration(response, { challenge, origin: rp.origins, rpId: rp.rpId });
  } catch (error) {
    const code = isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
    if (code === undefined || !code.startsWith('webauthn_')) throw error;
    return registrationRefused(context, user, at, code as WebAuthnErrorCode);
  }
  const credentialId = base64UrlDecode(credential.id) as Uint8Array;
  const existing = await context.config.store.devices.list({ userId });
  if (
    existing.some(
      (device) =>
        device.kind === 'security-key' &&
        device.state !== 'deactivated' &&
        base64UrlEncode(device.credentialId) === credential.id,
    )
  ) {
    return registrationRefused(context, user, at, 'credential_exists');
  }
  const device: SecurityKeyRecord = {
    id: newId('dev'),
    userId,
    kind: 'security-key',
    name,
    state: 'active',
    createdAt: at,
    enabledAt: at,
    deactivatedAt: null,
    lastUsedAt: null,
    credentialId,
    publicKey: credential.publicKey,
    publicKeyFormat: 'cose',
    signCount: credential.signCount,
    transports: credential.transports.filter((transport) => /^[a-z-]{1,20}$/.test(transport)).join(','),
    aaguid: credential.aaguid,
    attestationFormat: credential.attestationFormat,
    flaggedAt: null,
  };
  if ((await insertDeviceWithinLimit(context, user, device)) !== 'inserted') {
    throw registryError('device_limit', `A user can have at most ${config.maxDevicesPerUser} MFA devices`);
  }
  await audit(context, at, {
    ...byUser(user),
    event: 'security_key_registered',
    deviceId: device.id,
    outcome: 'ok',
    detail: { credentialId: credential.id, attestationFormat: credential.attestationFormat, aaguid: credential.aaguid },
  });
  return { ok: true, deviceId: device.id };
}

/** Request options for `navigator.credentials.get()` listing the user's usable keys, with a fresh challenge. */
export async function beginSecurityKeySignIn(
  context: RegistryContext,
  userId: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { config } = context;
  const rp = relyingParty(config);
  assertId(userId, 'userId');
  await requireUser(context, userId);
  const keys = (await activeKeys(context, userId)).filter((key) => key.flaggedAt === null);
  if (keys.length === 0) throw registryError('no_active_device', 'This user has no active security key');
  const challenge = await issueChallenge(context, userId, 'authentication');
  return {
    challenge,
    rpId: rp.rpId,
    timeout: config.challengeTtlMs,
    allowCredentials: keys.map(descriptor),
    userVerification: 'discouraged',
  };
}

/** Checks a security key's assertion: the same result, throttle and lockout as a one-time code. */
export async function verifySecurityKeySignIn(
  context: RegistryContext,
  userId: string,
  response: AuthenticationResponseLike,
): Promise<SignInResult> {
  const { config } = context;
  const rp = relyingParty(config);
  assertId(userId, 'userId');
  const user = await requireUser(context, userId);
  const keys = await activeKeys(context, userId);
  if (keys.length === 0) throw registryError('no_active_device', 'This user has no active security key');
  const at = config.clock.now();
  if (!isRecord(response) || typeof response.id !== 'string' || response.id.length > 1024) {
    return unchecked(context, userId, 'otp', at);
  }
  const reservation = await reserveAttempt(context, user, 'otp', at, 'sign_in_failed');
  if (!reservation.reserved) return reservation.refusal;
  const failed = (detail: Record<string, string | number | null>, reason?: 'counter_regression') =>
    attemptFailed(context, user, 'otp', reservation.state, at, 'sign_in_failed', detail, reason);

  const challenge = await takeChallenge(context, userId, 'authentication', response, at);
  if (challenge === undefined) return failed({ cause: 'unknown_challenge' });
  const key = keys.find((candidate) => base64UrlEncode(candidate.credentialId) === response.id);
  if (key === undefined) return failed({ cause: 'webauthn_wrong_credential' });
  const credentialId = response.id;
  if (key.flaggedAt !== null) return failed({ cause: 'flagged', credentialId }, 'counter_regression');

  const result = await verifySecurityKeyAssertion(response, {
    challenge,
    origin: rp.origins,
    rpId: rp.rpId,
    credential: { id: credentialId, publicKey: key.publicKey, signCount: key.signCount },
  });
  if (!result.ok) {
    if (result.reason !== 'webauthn_counter_regression') return failed({ cause: result.reason, credentialId });
    await config.store.devices.flag(key.id, at);
    await audit(context, at, {
      ...byUser(user),
      event: 'security_key_counter_regression',
      deviceId: key.id,
      outcome: 'fail',
      detail: { credentialId, storedSignCount: key.signCount },
    });
    return failed({ cause: result.reason, credentialId }, 'counter_regression');
  }
  // The counter's compare-and-set; a concurrent sign-in with the same key may have moved it on.
  let expected = key.signCount;
  for (;;) {
    if (await config.store.devices.advanceSignCount(key.id, expected, result.signCount, at)) break;
    const now = await config.store.devices.get(key.id);
    if (now?.kind !== 'security-key' || now.state !== 'active' || !(result.signCount > now.signCount)) {
      return failed({ cause: 'concurrent_sign_in', credentialId });
    }
    expected = now.signCount;
  }
  await attemptSucceeded(context, userId, 'otp');
  await audit(context, at, {
    ...byUser(user),
    event: 'sign_in_succeeded',
    deviceId: key.id,
    outcome: 'ok',
    detail: { credentialId, signCount: result.signCount },
  });
  return { ok: true, userId, deviceId: key.id, deviceKind: 'security-key', signCount: result.signCount };
}
