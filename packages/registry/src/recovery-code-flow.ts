/**
 * @module
 * Single-use recovery codes: generated in sets (a new set invalidates the old), stored as salted
 * hashes, compared in constant time against every code of the set, consumed with a compare-and-set,
 * and throttled like OTPs in their own failure scope (so a locked-out OTP user can still recover).
 * A valid code signs the user in and clears the OTP lockout.
 *
 * Each attempt is reserved in the store before the code is checked (throttle.ts). A reused code
 * — one of the current set that is already used, or one a concurrent request consumed first — is
 * refused and audited (`recovery_code_reused`) and gives its count back, as a replayed OTP: it proves possession of a valid code, and a
 * double-click or a client retry must not lock the user out. The typed code is compared with
 * every code of the set, used and unused, in constant time (`matchRecoveryCode`), so a guess
 * escapes the count only by equalling a used 80-bit code, which can never be accepted. Codes of
 * a replaced or revoked set are not kept and count as wrong. See docs/decisions.md.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { auditUser, type RegistryContext, requireUser } from './context.js';
import type { RecoveryCodeSet } from './model.js';
import {
  generateRecoveryCode,
  hashOneTimeValue,
  matchRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_SALT_BYTES,
} from './recovery-codes.js';
import type { RecoveryCodeResult } from './results.js';
import { attemptFailed, attemptReplayed, attemptSucceeded, reserveAttempt, unchecked } from './throttle.js';
import { assertId } from './validate.js';

const PURPOSE = 'recovery-code';

/** Returns the new codes; show them once. Earlier codes stop working. */
export async function generateRecoveryCodes(context: RegistryContext, userId: string): Promise<string[]> {
  const { config } = context;
  assertId(userId, 'userId');
  const user = await requireUser(context, userId);
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
  await config.store.recoveryCodes.replace(set);
  await auditUser(context, at, user, {
    event: 'recovery_codes_generated',
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
  const user = await requireUser(context, userId);
  const at = config.clock.now();
  if (canonical === undefined) return unchecked(context, userId, 'recovery_code', at);
  const reservation = await reserveAttempt(context, user, 'recovery_code', at, 'recovery_code_failed');
  if (!reservation.reserved) return reservation.refusal;

  const set = await config.store.recoveryCodes.get(userId);
  const candidate = set === undefined ? undefined : hashOneTimeValue(set.salt, PURPOSE, canonical);
  // Every code of the set, used or not, is compared (see matchRecoveryCode).
  const match = set === undefined || candidate === undefined ? undefined : matchRecoveryCode(candidate, set.codes);
  if (set !== undefined && candidate !== undefined && match !== undefined && match.index >= 0) {
    const { index } = match;
    if (!match.used && (await config.store.recoveryCodes.consume(userId, index, candidate, at))) {
      await attemptSucceeded(context, userId, 'recovery_code');
      await attemptSucceeded(context, userId, 'otp');
      const remaining = set.codes.filter((entry) => entry.usedAt === null).length - 1;
      await auditUser(context, at, user, { event: 'recovery_code_used', outcome: 'ok', detail: { index, remaining } });
      return { ok: true, userId, remaining };
    }
    // Already used, or a concurrent request consumed it first: refused, and the attempt's
    // count is given back (see the module doc).
    const answer = await attemptReplayed(context, userId, 'recovery_code', at);
    await auditUser(context, at, user, {
      event: 'recovery_code_reused',
      outcome: 'fail',
      detail: { reason: 'replayed', index, failureCount: answer.failureCount },
    });
    return answer;
  }
  return attemptFailed(context, user, 'recovery_code', reservation.state, at, 'recovery_code_failed');
}
