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
 * signature whose counter did not grow since the challenge was issued (unless both are 0: keys
 * without a counter; `judgeSignCount`) is a clone signal: the sign-in is refused, audited as
 * `security_key_counter_regression`, and the key is flagged — and refused from then on, until an
 * administrator or the user removes it (it shows in `listDevices` and the credential report).
 * Audit records name the credential id, never signatures or challenges.
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
} from '@mfakit/u2f/webauthn';
import { type RegistryContext, requireUser } from './context.js';
import { registryError } from './errors.js';
import type { SecurityKeyRecord } from './model.js';
import type { SignInResult } from './results.js';
import {
  activeKeys,
  counterAtChallenge,
  issueChallenge,
  keySignInFailed,
  keySignInVerified,
  refusalCode,
  registrationRefused,
  relyingParty,
  type SecurityKeyRegistrationResult,
  storeVerifiedKey,
  takeChallenge,
} from './security-key-ceremony.js';
import { reserveAttempt, unchecked } from './throttle.js';
import { assertId, assertName, assertOptions } from './validate.js';

/** COSE algorithm ES256 (RFC 9053 §2.1): what every FIDO security key signs with. */
const ES256 = -7;
/** Longest clientDataJSON (base64url) read to find the challenge; a browser's is a few hundred bytes. */
const MAX_CLIENT_DATA = 8192;

function descriptor(key: SecurityKeyRecord) {
  return {
    type: 'public-key',
    id: base64UrlEncode(key.credentialId),
    ...(key.transports === '' ? {} : { transports: key.transports.split(',') }),
  };
}

/** The challenge a WebAuthn response's clientDataJSON names (not yet checked against anything). */
function namedChallenge(response: unknown): string | undefined {
  const clientDataJSON =
    isRecord(response) && isRecord(response.response) ? response.response.clientDataJSON : undefined;
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > MAX_CLIENT_DATA) return undefined;
  const bytes = base64UrlDecode(clientDataJSON);
  if (bytes === undefined) return undefined;
  try {
    const clientData: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return isRecord(clientData) && typeof clientData.challenge === 'string' ? clientData.challenge : undefined;
  } catch {
    return undefined;
  }
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
  const challenge = (await takeChallenge(context, userId, 'registration', namedChallenge(response), at))?.id;
  if (challenge === undefined) return registrationRefused(context, user, at, 'unknown_challenge');
  let credential: SecurityKeyCredential;
  try {
    credential = await verifySecurityKeyRegistration(response, { challenge, origin: rp.origins, rpId: rp.rpId });
  } catch (error) {
    return registrationRefused(context, user, at, refusalCode(error, 'webauthn_'));
  }
  return storeVerifiedKey(context, user, name, at, {
    credentialId: base64UrlDecode(credential.id) as Uint8Array,
    publicKey: credential.publicKey,
    publicKeyFormat: 'cose',
    signCount: credential.signCount,
    transports: credential.transports.filter((transport) => /^[a-z-]{1,20}$/.test(transport)).join(','),
    aaguid: credential.aaguid,
    attestationFormat: credential.attestationFormat,
  });
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
  const challenge = await issueChallenge(context, userId, 'authentication', keys);
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
  const attempt = { user, reservation: reservation.state, at };

  const challenge = await takeChallenge(context, userId, 'authentication', namedChallenge(response), at);
  if (challenge === undefined) return keySignInFailed(context, attempt, { cause: 'unknown_challenge' });
  const key = keys.find((candidate) => base64UrlEncode(candidate.credentialId) === response.id);
  if (key === undefined) return keySignInFailed(context, attempt, { cause: 'webauthn_wrong_credential' });
  const credentialId = response.id;
  if (key.flaggedAt !== null) {
    return keySignInFailed(context, attempt, { cause: 'flagged', credentialId }, 'counter_regression');
  }
  const atChallenge = counterAtChallenge(challenge, key);
  if (atChallenge === undefined) return keySignInFailed(context, attempt, { cause: 'not_allowed', credentialId });
  // The counter is judged by keySignInVerified (passing 0 lets every valid signature through here).
  const result = await verifySecurityKeyAssertion(response, {
    challenge: challenge.id,
    origin: rp.origins,
    rpId: rp.rpId,
    credential: { id: credentialId, publicKey: key.publicKey, signCount: 0 },
  });
  if (!result.ok) return keySignInFailed(context, attempt, { cause: result.reason, credentialId });
  return keySignInVerified(context, attempt, key, atChallenge, result.signCount);
}
