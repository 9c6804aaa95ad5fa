/**
 * @module
 * Single-use recovery codes: generated in sets (a new set invalidates the old), stored as salted
 * hashes, compared in constant time against every code of the set, consumed with a compare-and-set,
 * and throttled like OTPs in their own failure scope (so a locked-out OTP user can still recover).
 * A valid code signs the user in and clears the OTP lockout.
 *
 * A reused code — one of the current set that is already used, or one a concurrent request
 * consumed first — is refused and audited (`recovery_code_reused`) but neither counted nor
 * allowed to reset the count, as a replayed OTP: it proves possession of a valid code, and a
 * double-click or a client retry must not lock the user out. The typed code is compared with
 * every code of the set, used and unused, in constant time (`matchRecoveryCode`), so a guess
 * escapes the count only by equalling a used 80-bit code, which can never be accepted. Codes of
 * a replaced or revoked set are not kept and count as wrong. See docs/decisions.md.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { audit, type RegistryContext, requireUser } from './context.js';
import { registryError } from './errors.js';
import type { RecoveryCodeSet } from './model.js';
import {
  generateRecoveryCode,
  hashOneTimeValue,
  matchRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_SALT_BYTES,
} from './recovery-codes.js';
import type { RecoveryCodeResult } from './results.js';
import { refuseIfThrottled, retryAfter } from './sign-in.js';
import { assertId } from './validate.js';

const PURPOSE = 'recovery-code';

/** Returns the new codes; show them once. Earlier codes stop working. */
export async function generateRecoveryCodes(context: RegistryContext, userId: string): Promise<string[]> {
  const { config } = context;
  assertId(userId, 'userId');
  await requireUser(context, userId);
  const at = config.clock.now();
  const salt = randomBytes(RECOVERY_SALT_BYTES);
  const codes = Array.from({ length: config.recoveryCodeCount }, () => generateRecoveryCode());
  const set: RecoveryCodeSet = {
    userId,
    salt,
    createdAt: at,
    codes: codes.map((code, index) => ({
      index,
      hash: hashOneTimeValue(salt, PURPOSE, normalizeRecoveryCode(code) as string),
      usedAt: null,
    })),
  };
  await config.store.replaceRecoveryCodes(set);
  await audit(context, at, {
    event: 'recovery_codes_generated',
    actor: userId,
    userId,
    outcome: 'ok',
    detail: { count: codes.length },
  });
  return codes;
}

export async function useRecoveryCode(
  context: RegistryContext,
  userId: string,
  code: string,
): Promise<RecoveryCodeResult> {
  const { config } = context;
  assertId(userId, 'userId');
  if (typeof code !== 'string') throw new TypeError('code must be a string');
  const canonical = normalizeRecoveryCode(code);
  if (canonical === undefined) {
    throw registryError('malformed_code', 'A recovery code is 16 letters and digits, e.g. ABCD-EFGH-JKMN-PQRS');
  }
  await requireUser(context, userId);
  const at = config.clock.now();
  const before = await config.store.getFailureState(userId, 'recovery_code');
  const refused = await refuseIfThrottled(context, before, at, userId, 'recovery_code_failed');
  if (refused !== undefined) return refused;

  const set = await config.store.getRecoveryCodes(userId);
  const candidate = set === undefined ? undefined : hashOneTimeValue(set.salt, PURPOSE, canonical);
  // Every code of the set, used or not, is compared (see matchRecoveryCode).
  const match = set === undefined || candidate === undefined ? undefined : matchRecoveryCode(candidate, set.codes);
  if (set !== undefined && candidate !== undefined && match !== undefined && match.index >= 0) {
    const { index } = match;
    if (!match.used && (await config.store.consumeRecoveryCode(userId, index, candidate, at))) {
      await config.store.resetFailures(userId, 'recovery_code');
      await config.store.resetFailures(userId, 'otp');
      const remaining = set.codes.filter((entry) => entry.usedAt === null).length - 1;
      await audit(context, at, {
        event: 'recovery_code_used',
        actor: userId,
        userId,
        outcome: 'ok',
        detail: { index, remaining },
      });
      return { ok: true, userId, remaining };
    }
    // Already used, or a concurrent request consumed it first: refused, but not a failure, and
    // the count is neither raised nor reset (see the module doc).
    await audit(context, at, {
      event: 'recovery_code_reused',
      actor: userId,
      userId,
      outcome: 'fail',
      detail: { reason: 'replayed', index, failureCount: before.failureCount },
    });
    return { ok: false, reason: 'replayed', failureCount: before.failureCount, locked: false, retryAfterMs: 0 };
  }

  const after = await config.store.recordFailure(userId, 'recovery_code', at, config.maxRecoveryCodeFailures);
  await audit(context, at, {
    event: 'recovery_code_failed',
    actor: userId,
    userId,
    outcome: 'fail',
    detail: { reason: 'mismatch', failureCount: after.failureCount },
  });
  if (after.failureCount === config.maxRecoveryCodeFailures) {
    await audit(context, at, {
      event: 'lockout',
      actor: 'system',
      userId,
      outcome: 'ok',
      detail: { scope: 'recovery_code' },
    });
  }
  return {
    ok: false,
    reason: 'mismatch',
    failureCount: after.failureCount,
    locked: after.lockedAt !== null,
    retryAfterMs: retryAfter(context, after, at),
  };
}
