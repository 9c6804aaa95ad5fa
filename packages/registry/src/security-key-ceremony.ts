/**
 * @module
 * What the WebAuthn and the raw U2F security-key flows share: the relying party, challenges in
 * the store (WebAuthn §13.4.3: random, single use, bound to the user and the ceremony,
 * short-lived, shared by every server instance), storing a new key under the device limit, and
 * settling a verified sign-in — the sign counter's compare-and-set (§6.1.1) and the clone signal
 * of a counter that did not grow (the key is flagged, audited, refused from then on).
 *
 * A sign-in challenge records the keys it allows with each one's counter when it was issued, and
 * the clone signal is judged against that counter rather than the one stored when the assertion
 * arrives: one genuine key answering several challenges at once (two tabs, two server instances)
 * has its assertions verified in any order, and a lower counter arriving after a higher one was
 * stored is concurrent use, not a clone (docs/decisions.md, "security-key counters under
 * concurrency").
 */

import { isRecord } from '@mfakit/core/validate';
import { base64UrlEncode } from '@mfakit/u2f';
import { randomBytes } from '@noble/hashes/utils.js';
import type { RegistryConfig } from './config.js';
import { auditUser, newId, type RegistryContext } from './context.js';
import { insertDeviceWithinLimit } from './device-limit.js';
import { registryError } from './errors.js';
import {
  type AttemptState,
  type ChallengeCeremony,
  type ChallengeRecord,
  newDeviceBase,
  type SecurityKeyRecord,
  type UserRecord,
} from './model.js';
import type { SignInResult } from './results.js';
import { type AttemptFailure, attemptFailed, attemptReplayed, attemptSucceeded } from './throttle.js';

const CHALLENGE_BYTES = 32;
/** Compare-and-set rounds on a key's counter before a sign-in gives up (refused: fail closed). */
const MAX_COUNTER_ROUNDS = 256;

/** The answer of registering a security key: its device id, or why it was refused. */
export type SecurityKeyRegistrationResult =
  | { ok: true; deviceId: string }
  | {
      ok: false;
      /**
       * Why the response was refused: a WebAuthn or U2F check (`webauthn_…`, `u2f_…`), the
       * challenge (unknown, used, expired, another user's or ceremony's), or a key already registered.
       */
      reason: string;
    };

export function relyingParty(config: RegistryConfig): NonNullable<RegistryConfig['webauthn']> {
  if (config.webauthn === undefined) {
    throw new TypeError('Security keys need the relying party: pass `webauthn: { rpId, origin }` to the Registry');
  }
  return config.webauthn;
}

/** The user's active security keys (optionally of one public-key format). */
export async function activeKeys(
  context: RegistryContext,
  userId: string,
  format?: SecurityKeyRecord['publicKeyFormat'],
): Promise<SecurityKeyRecord[]> {
  return (await context.config.store.devices.list({ userId })).filter(
    (device): device is SecurityKeyRecord =>
      device.kind === 'security-key' &&
      device.state === 'active' &&
      (format === undefined || device.publicKeyFormat === format),
  );
}

/**
 * A new challenge for the user and ceremony (base64url), after purging the user's expired ones.
 * `allowed`: the keys a sign-in lists in `allowCredentials`, recorded with their counters as read
 * now (a counter read before the insert is at most the one stored at it, so judging against it
 * never flags a genuine key); none for a registration.
 */
export async function issueChallenge(
  context: RegistryContext,
  userId: string,
  ceremony: ChallengeCeremony,
  allowed: readonly SecurityKeyRecord[] = [],
): Promise<string> {
  const { store, clock, challengeTtlMs } = context.config;
  const at = clock.now();
  await store.challenges.deleteExpired(userId, at);
  const id = base64UrlEncode(randomBytes(CHALLENGE_BYTES));
  const allowedKeys = allowed.map((key) => ({ deviceId: key.id, signCount: key.signCount }));
  await store.challenges.insert({ id, userId, ceremony, createdAt: at, expiresAt: at + challengeTtlMs, allowedKeys });
  return id;
}

/**
 * Takes (uses up) the challenge named in a client's client data, if it was issued to this user
 * for this ceremony and has not expired; undefined otherwise.
 */
export async function takeChallenge(
  context: RegistryContext,
  userId: string,
  ceremony: ChallengeCeremony,
  challenge: unknown,
  at: number,
): Promise<ChallengeRecord | undefined> {
  if (typeof challenge !== 'string' || challenge.length === 0 || challenge.length > 256) return undefined;
  const record = await context.config.store.challenges.take(challenge);
  if (record === undefined || record.userId !== userId || record.ceremony !== ceremony || record.expiresAt <= at) {
    return undefined;
  }
  return record;
}

/**
 * The sign counter `key` had when `challenge` was issued, or undefined when the challenge does
 * not allow the key (WebAuthn §7.2 step 5: the credential must be one of `allowCredentials`) —
 * e.g. a key enrolled after the challenge was issued, or one flagged then.
 */
export function counterAtChallenge(challenge: ChallengeRecord, key: SecurityKeyRecord): number | undefined {
  return challenge.allowedKeys.find((allowed) => allowed.deviceId === key.id)?.signCount;
}

export async function registrationRefused(
  context: RegistryContext,
  user: UserRecord,
  at: number,
  reason: string,
): Promise<SecurityKeyRegistrationResult> {
  await auditUser(context, at, user, {
    event: 'security_key_registration_failed',
    outcome: 'fail',
    detail: { reason },
  });
  return { ok: false, reason };
}

/** What a verified registration names of the key (WebAuthn §7.1 step 27, or the U2F registration message). */
export type VerifiedKey = Pick<
  SecurityKeyRecord,
  'credentialId' | 'publicKey' | 'publicKeyFormat' | 'signCount' | 'transports' | 'aaguid' | 'attestationFormat'
>;

/** The refusal code of a verifier's `MfaError` whose code starts with `prefix`; anything else is rethrown. */
export function refusalCode(error: unknown, prefix: 'webauthn_' | 'u2f_'): string {
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
  if (code === undefined || !code.startsWith(prefix)) throw error;
  return code;
}

/** Stores a verified key as an active device named `name` (refusing a credential the user already has). */
export function storeVerifiedKey(
  context: RegistryContext,
  user: UserRecord,
  name: string,
  at: number,
  key: VerifiedKey,
): Promise<SecurityKeyRegistrationResult> {
  return storeNewKey(context, user, {
    ...newDeviceBase(newId('dev'), user.id, name, 'active', at),
    ...key,
    kind: 'security-key',
    flaggedAt: null,
  });
}

/** Stores a verified key as an active device (refusing a credential the user already has). */
async function storeNewKey(
  context: RegistryContext,
  user: UserRecord,
  device: SecurityKeyRecord,
): Promise<SecurityKeyRegistrationResult> {
  const { config } = context;
  const at = device.createdAt;
  const credentialId = base64UrlEncode(device.credentialId);
  const existing = await config.store.devices.list({ userId: user.id });
  if (
    existing.some(
      (other) =>
        other.kind === 'security-key' &&
        other.state !== 'deactivated' &&
        base64UrlEncode(other.credentialId) === credentialId,
    )
  ) {
    return registrationRefused(context, user, at, 'credential_exists');
  }
  if ((await insertDeviceWithinLimit(context, user, device)) !== 'inserted') {
    throw registryError('device_limit', `A user can have at most ${config.maxDevicesPerUser} MFA devices`);
  }
  await auditUser(context, at, user, {
    event: 'security_key_registered',
    deviceId: device.id,
    outcome: 'ok',
    detail: { credentialId, attestationFormat: device.attestationFormat, aaguid: device.aaguid },
  });
  return { ok: true, deviceId: device.id };
}

/** A reserved sign-in attempt with a security key whose signature was checked (or refused). */
export interface KeyAttempt {
  user: UserRecord;
  reservation: AttemptState;
  at: number;
}

/** Settles a refused attempt: counted, audited with the cause. */
export function keySignInFailed(
  context: RegistryContext,
  attempt: KeyAttempt,
  detail: Record<string, string | number | null>,
  reason?: 'counter_regression',
): Promise<AttemptFailure> {
  return attemptFailed(context, attempt.user, 'otp', attempt.reservation, attempt.at, 'sign_in_failed', detail, reason);
}

/** How a verified assertion's counter relates to the key's counters (see `judgeSignCount`). */
export type SignCountJudgement =
  /** Counter above the stored one: advance it (compare-and-set). */
  | 'advance'
  /** A key without a counter (0, and 0 stored): nothing to compare. */
  | 'counterless'
  /** The clone signal: flag the key. */
  | 'clone'
  /** Above the counter at challenge time but below the stored one: a concurrent genuine use, refused unflagged. */
  | 'concurrent';

/**
 * WebAuthn Level 2 §6.1.1 and §7.2 step 21: when either counter is non-zero, a new counter not
 * above the stored one "is a signal that the authenticator may be cloned". The genuine key signs
 * this ceremony's challenge after it was issued, so its counter is then above every counter it
 * had produced before — at least `atChallenge`, the counter stored when the challenge was issued.
 * So the signal is a counter not above `atChallenge`, or equal to the one `stored` now (another
 * assertion with the same non-zero counter was accepted: a genuine key never repeats one), or 0
 * once a counter was stored (a key without a counter never produces one). A counter between
 * `atChallenge` and `stored` is one genuine key answering several challenges at once, verified out
 * of order: refused (the stored counter never moves back), not flagged. No clock is involved.
 */
export function judgeSignCount(signCount: number, atChallenge: number, stored: number): SignCountJudgement {
  if (signCount === 0) return stored === 0 ? 'counterless' : 'clone';
  if (signCount <= atChallenge || signCount === stored) return 'clone';
  return signCount > stored ? 'advance' : 'concurrent';
}

/**
 * Settles an attempt whose signature verified with `signCount`, `key` having had `atChallenge`
 * when the challenge was issued (`judgeSignCount`): the clone signal flags the key; a concurrent
 * use is refused; else the counter's compare-and-set (retried while a concurrent sign-in moved it
 * and ours is still higher) and success.
 */
export async function keySignInVerified(
  context: RegistryContext,
  attempt: KeyAttempt,
  key: SecurityKeyRecord,
  atChallenge: number,
  signCount: number,
): Promise<SignInResult> {
  const { config } = context;
  const { user, at } = attempt;
  const credentialId = base64UrlEncode(key.credentialId);
  let expected = key.signCount;
  for (let round = 0; ; round++) {
    const judgement = judgeSignCount(signCount, atChallenge, expected);
    if (judgement === 'clone') return counterRegression(context, attempt, key, atChallenge, expected);
    if (judgement === 'concurrent') return keySignInRaced(context, attempt, key, credentialId);
    if (await config.store.devices.advanceSignCount(key.id, expected, signCount, at)) break;
    const now = await config.store.devices.get(key.id);
    if (now?.kind !== 'security-key' || now.state !== 'active' || round === MAX_COUNTER_ROUNDS) {
      return keySignInFailed(context, attempt, { cause: 'concurrent_sign_in', credentialId });
    }
    expected = now.signCount;
  }
  await attemptSucceeded(context, user.id, 'otp');
  await auditUser(context, at, user, {
    event: 'sign_in_succeeded',
    deviceId: key.id,
    outcome: 'ok',
    detail: { credentialId, signCount },
  });
  return { ok: true, userId: user.id, deviceId: key.id, deviceKind: 'security-key', signCount };
}

/**
 * A genuine use that lost to a concurrent one of the same key (`judgeSignCount`: 'concurrent'):
 * refused as `replayed` with its count given back, as a TOTP code whose step a concurrent
 * request accepted first — the signature verified, so it was no guess, and one key answering in
 * several tabs at once must not lock its owner out. Audited as `sign_in_replayed`.
 */
async function keySignInRaced(
  context: RegistryContext,
  attempt: KeyAttempt,
  key: SecurityKeyRecord,
  credentialId: string,
): Promise<AttemptFailure> {
  const answer = await attemptReplayed(context, attempt.user.id, 'otp', attempt.at);
  await auditUser(context, attempt.at, attempt.user, {
    event: 'sign_in_replayed',
    deviceId: key.id,
    outcome: 'fail',
    detail: { reason: 'replayed', cause: 'concurrent_sign_in', credentialId, failureCount: answer.failureCount },
  });
  return answer;
}

/** The clone signal: the key is flagged (refused from then on), audited, and the attempt refused. */
async function counterRegression(
  context: RegistryContext,
  attempt: KeyAttempt,
  key: SecurityKeyRecord,
  atChallenge: number,
  stored: number,
): Promise<AttemptFailure> {
  const { user, at } = attempt;
  const credentialId = base64UrlEncode(key.credentialId);
  await context.config.store.devices.flag(key.id, at);
  await auditUser(context, at, user, {
    event: 'security_key_counter_regression',
    deviceId: key.id,
    outcome: 'fail',
    detail: { credentialId, storedSignCount: stored, signCountAtChallenge: atChallenge },
  });
  return keySignInFailed(context, attempt, { cause: 'counter_regression', credentialId }, 'counter_regression');
}
