/**
 * @module
 * Security keys over raw FIDO U2F messages — the path of native clients (pam_u2f style, CTAP1
 * over HID) that do not go through a browser's WebAuthn. The server issues a challenge with the
 * app id (FIDO U2F JavaScript API §4: `RegisterRequest` / `SignRequest`, version `U2F_V2`); the
 * client returns the key's raw messages with the client data it signed over; @mfakit/u2f
 * verifies them (Raw Message Formats v1.2 §4.3, §5.4). The stored key is a `security-key` device
 * with its raw P-256 public key, throttled, counted and flagged exactly as a WebAuthn key
 * (security-key-ceremony.ts).
 */
import { isBytes, isRecord } from '@mfakit/core/validate';
import { base64UrlEncode, verifyU2fAuthentication, verifyU2fRegistration } from '@mfakit/u2f';
import { nodeP256Verify } from '@mfakit/u2f/node';
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

/** FIDO U2F JavaScript API §3: the only protocol version. */
const U2F_VERSION = 'U2F_V2' as const;
/** The longest client data read (the FIDO client data is a small JSON object). */
const MAX_CLIENT_DATA_BYTES = 8192;

/** What a raw U2F client needs to register a key (FIDO U2F JavaScript API `RegisterRequest`). */
export interface U2fRegisterRequest {
  version: typeof U2F_VERSION;
  appId: string;
  /** base64url; the client puts it into the client data it signs over. */
  challenge: string;
  /** The user's keys already registered over U2F, so a client can skip them. */
  registeredKeys: { version: typeof U2F_VERSION; keyHandle: string; appId: string }[];
}

/** What a raw U2F client needs to sign in (the app id, a challenge and the user's key handles). */
export interface U2fSignRequest {
  appId: string;
  challenge: string;
  registeredKeys: { version: typeof U2F_VERSION; keyHandle: string; appId: string }[];
}

/** What a U2F client returns for a registration: the key's registration message and the client data. */
export interface U2fRegistrationAnswer {
  registrationData: Uint8Array;
  clientData: Uint8Array;
}

/** What a U2F client returns for a sign-in: the key handle used, the key's signature message and the client data. */
export interface U2fSignInAnswer {
  keyHandle: Uint8Array;
  signatureData: Uint8Array;
  clientData: Uint8Array;
}

function appIdOf(context: RegistryContext): string {
  const rp = relyingParty(context.config);
  return rp.appId;
}

/** The challenge named in U2F client data (not yet checked against anything). */
function namedChallenge(clientData: unknown): string | undefined {
  if (!isBytes(clientData) || clientData.length > MAX_CLIENT_DATA_BYTES) return undefined;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(clientData));
    return isRecord(parsed) && typeof parsed.challenge === 'string' ? parsed.challenge : undefined;
  } catch {
    return undefined;
  }
}

/** The user's U2F keys that may sign in (active, not flagged). */
async function usableU2fKeys(context: RegistryContext, userId: string): Promise<SecurityKeyRecord[]> {
  return (await activeKeys(context, userId, 'raw-p256')).filter((key) => key.flaggedAt === null);
}

function registeredKey(key: SecurityKeyRecord, appId: string): U2fRegisterRequest['registeredKeys'][number] {
  return { version: U2F_VERSION, keyHandle: base64UrlEncode(key.credentialId), appId };
}

export async function beginU2fRegistration(context: RegistryContext, userId: string): Promise<U2fRegisterRequest> {
  assertId(userId, 'userId');
  const appId = appIdOf(context);
  await requireUser(context, userId);
  const challenge = await issueChallenge(context, userId, 'registration');
  const keys = await usableU2fKeys(context, userId);
  return { version: U2F_VERSION, appId, challenge, registeredKeys: keys.map((key) => registeredKey(key, appId)) };
}

export async function finishU2fRegistration(
  context: RegistryContext,
  userId: string,
  answer: U2fRegistrationAnswer,
  options: { name: string },
): Promise<SecurityKeyRegistrationResult> {
  const { config } = context;
  assertId(userId, 'userId');
  assertOptions(options, 'options', true);
  const name = assertName(options.name, 'name');
  const rp = relyingParty(config);
  const user = await requireUser(context, userId);
  const at = config.clock.now();
  if (!isRecord(answer) || !isBytes(answer.registrationData) || !isBytes(answer.clientData)) {
    return registrationRefused(context, user, at, 'u2f_malformed_message');
  }
  const challenge = (await takeChallenge(context, userId, 'registration', namedChallenge(answer.clientData), at))?.id;
  if (challenge === undefined) return registrationRefused(context, user, at, 'unknown_challenge');
  let registration: ReturnType<typeof verifyU2fRegistration>;
  try {
    registration = verifyU2fRegistration(answer.registrationData, {
      appId: rp.appId,
      clientData: answer.clientData,
      challenge,
      origin: rp.origins,
      verifyP256: nodeP256Verify,
    });
  } catch (error) {
    return registrationRefused(context, user, at, refusalCode(error, 'u2f_'));
  }
  return storeVerifiedKey(context, user, name, at, {
    credentialId: registration.keyHandle.slice(),
    publicKey: registration.publicKey.slice(),
    publicKeyFormat: 'raw-p256',
    signCount: 0,
    transports: '',
    aaguid: null,
    attestationFormat: 'fido-u2f',
  });
}

export async function beginU2fSignIn(context: RegistryContext, userId: string): Promise<U2fSignRequest> {
  assertId(userId, 'userId');
  const appId = appIdOf(context);
  await requireUser(context, userId);
  const keys = await usableU2fKeys(context, userId);
  if (keys.length === 0) throw registryError('no_active_device', 'This user has no active U2F security key');
  const challenge = await issueChallenge(context, userId, 'authentication', keys);
  return { appId, challenge, registeredKeys: keys.map((key) => registeredKey(key, appId)) };
}

/** Checks a U2F sign-in: the same result, throttle and lockout as a one-time code. */
export async function verifyU2fSignIn(
  context: RegistryContext,
  userId: string,
  answer: U2fSignInAnswer,
): Promise<SignInResult> {
  const { config } = context;
  assertId(userId, 'userId');
  const rp = relyingParty(config);
  const user = await requireUser(context, userId);
  const keys = await activeKeys(context, userId, 'raw-p256');
  if (keys.length === 0) throw registryError('no_active_device', 'This user has no active U2F security key');
  const at = config.clock.now();
  if (
    !isRecord(answer) ||
    !isBytes(answer.keyHandle) ||
    !isBytes(answer.signatureData) ||
    !isBytes(answer.clientData) ||
    answer.keyHandle.length > 255
  ) {
    return unchecked(context, userId, 'otp', at);
  }
  const reservation = await reserveAttempt(context, user, 'otp', at, 'sign_in_failed');
  if (!reservation.reserved) return reservation.refusal;
  const attempt = { user, reservation: reservation.state, at };

  const challenge = await takeChallenge(context, userId, 'authentication', namedChallenge(answer.clientData), at);
  if (challenge === undefined) return keySignInFailed(context, attempt, { cause: 'unknown_challenge' });
  const credentialId = base64UrlEncode(answer.keyHandle);
  const key = keys.find((candidate) => base64UrlEncode(candidate.credentialId) === credentialId);
  if (key === undefined) return keySignInFailed(context, attempt, { cause: 'u2f_wrong_credential' });
  if (key.flaggedAt !== null) {
    return keySignInFailed(context, attempt, { cause: 'flagged', credentialId }, 'counter_regression');
  }
  const atChallenge = counterAtChallenge(challenge, key);
  if (atChallenge === undefined) return keySignInFailed(context, attempt, { cause: 'not_allowed', credentialId });
  const result = verifyU2fAuthentication(answer.signatureData, {
    appId: rp.appId,
    clientData: answer.clientData,
    challenge: challenge.id,
    origin: rp.origins,
    credential: { publicKey: key.publicKey },
    // OpenSSL through node:crypto (the registry runs on Node): ≈ 30× the pure-JS check (bench/u2f).
    verifyP256: nodeP256Verify,
  });
  if (!result.ok) return keySignInFailed(context, attempt, { cause: result.reason, credentialId });
  return keySignInVerified(context, attempt, key, atChallenge, result.counter);
}
