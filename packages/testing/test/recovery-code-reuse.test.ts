import { publicOutcome, type RegistryStore } from '@mfakit/registry';
import { createMfaWorld, signUp } from '@mfakit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Policy (docs/decisions.md): a reused recovery code — one of the user's current codes that is
// already used, or one a concurrent request consumed first — is refused and audited as
// `recovery_code_reused`, but it proves possession, not guessing: it neither counts toward the
// recovery-code lockout nor resets the count. Wrong codes, and codes of a replaced or revoked
// set, still count.
const GUESS = 'AAAA-BBBB-CCCC-DDDD';

async function userWithCodes(options: Parameters<typeof createMfaWorld>[0] = {}) {
  const world = createMfaWorld(options);
  const user = await signUp(world, { name: 'Code Keeper', kind: 'root' });
  const codes = await world.registry.generateRecoveryCodes(user.id);
  const failures = async () => (await world.store.attempts.get(user.id, 'recovery_code')).failureCount;
  return { world, user, codes, failures };
}

describe('reused recovery codes are refused but do not count toward lockout', () => {
  it('10 concurrent submissions of one valid code: one accepted, none counted, no lockout', async () => {
    // 9 counted losers used to lock the recovery codes at maxRecoveryCodeFailures 4. Now each
    // submission is reserved before it is checked: the losers either lost the code's
    // compare-and-set (replayed: the count given back) or were refused unchecked while earlier
    // reservations were in flight (throttled).
    const { world, user, codes, failures } = await userWithCodes({ maxRecoveryCodeFailures: 4 });
    const code = codes[0] as string;
    const results = await Promise.all(Array.from({ length: 10 }, () => world.registry.useRecoveryCode(user.id, code)));
    expect(results.filter((result) => result.ok)).toEqual([{ ok: true, userId: user.id, remaining: 9 }]);
    const losers = results.filter((result) => !result.ok);
    expect(losers).toHaveLength(9);
    for (const loser of losers) expect(['replayed', 'throttled']).toContain(loser.reason);
    const replays = losers.filter((loser) => loser.reason === 'replayed');
    expect(replays.length).toBeGreaterThanOrEqual(1);
    expect(await failures()).toBe(0);
    const audit = await world.registry.listAudit();
    const reused = audit.filter((record) => record.event === 'recovery_code_reused');
    expect(reused).toHaveLength(replays.length);
    for (const record of reused) {
      expect(record).toMatchObject({
        actor: user.id,
        userId: user.id,
        outcome: 'fail',
        detail: { reason: 'replayed', index: 0 },
      });
    }
    expect(
      audit.filter(
        (record) =>
          (record.event === 'recovery_code_failed' && record.detail.reason === 'mismatch') ||
          record.event === 'user_locked_out',
      ),
    ).toEqual([]);
    expect((await world.registry.useRecoveryCode(user.id, codes[1] as string)).ok).toBe(true);
  });

  it('an already-used code neither counts nor resets the count: wrong, wrong, reused, wrong → 3', async () => {
    const { world, user, codes, failures } = await userWithCodes({ backoffAfterFailures: 50 });
    const used = codes[4] as string;
    expect((await world.registry.useRecoveryCode(user.id, used)).ok).toBe(true);
    await world.registry.useRecoveryCode(user.id, GUESS);
    await world.registry.useRecoveryCode(user.id, GUESS);
    // Typed differently: the canonical form is what is compared.
    const reuse = await world.registry.useRecoveryCode(user.id, used.toLowerCase().replaceAll('-', ' '));
    expect(reuse).toEqual({ ok: false, reason: 'replayed', failureCount: 2, locked: false, retryAfterMs: 0 });
    expect(await failures()).toBe(2);
    const [record] = (await world.registry.listAudit()).filter((entry) => entry.event === 'recovery_code_reused');
    expect(record?.detail).toEqual({ reason: 'replayed', index: 4, failureCount: 2 });
    expect(await world.registry.useRecoveryCode(user.id, GUESS)).toMatchObject({
      reason: 'mismatch',
      failureCount: 3,
    });
  });

  it('a reused code during a back-off is throttled, and locked recovery codes stay locked', async () => {
    const { world, user, codes } = await userWithCodes({ maxRecoveryCodeFailures: 4, backoffAfterFailures: 3 });
    const used = codes[0] as string;
    expect((await world.registry.useRecoveryCode(user.id, used)).ok).toBe(true);
    for (let i = 0; i < 3; i++) await world.registry.useRecoveryCode(user.id, GUESS);
    expect(await world.registry.useRecoveryCode(user.id, used)).toMatchObject({ reason: 'throttled', failureCount: 3 });
    world.clock.advance(1000);
    await world.registry.useRecoveryCode(user.id, GUESS);
    world.clock.advance(60_000); // past the back-off: what is left is the lockout
    expect(await world.registry.useRecoveryCode(user.id, used)).toMatchObject({ reason: 'locked', locked: true });
  });

  it('answers a reused code exactly like a wrong code over the wire', async () => {
    const { world, user, codes } = await userWithCodes();
    await world.registry.useRecoveryCode(user.id, codes[0] as string);
    const reuse = await world.registry.useRecoveryCode(user.id, codes[0] as string);
    const wrong = await world.registry.useRecoveryCode(user.id, GUESS);
    expect(reuse).toMatchObject({ ok: false, reason: 'replayed' });
    expect(wrong).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(JSON.stringify(publicOutcome(reuse))).toBe(JSON.stringify({ ok: false }));
    expect(JSON.stringify(publicOutcome(wrong))).toBe(JSON.stringify({ ok: false }));
  });

  it('codes of a replaced set, and codes revoked by lost-device recovery, are wrong codes and count', async () => {
    const { world, user, codes, failures } = await userWithCodes();
    expect((await world.registry.useRecoveryCode(user.id, codes[0] as string)).ok).toBe(true);
    const second = await world.registry.generateRecoveryCodes(user.id);
    // Used or not, a code of the old set is no longer this user's: it counts.
    expect(await world.registry.useRecoveryCode(user.id, codes[0] as string)).toMatchObject({ reason: 'mismatch' });
    expect(await world.registry.useRecoveryCode(user.id, codes[1] as string)).toMatchObject({ reason: 'mismatch' });
    expect(await failures()).toBe(2);
    expect((await world.registry.useRecoveryCode(user.id, second[0] as string)).ok).toBe(true);
    const { sessionId } = await world.registry.startRecovery(user.id);
    const emailCode = world.notifier.lastCode(user.id, 'email') as string;
    const phoneCode = world.notifier.lastCode(user.id, 'phone') as string;
    expect((await world.registry.completeRecovery(sessionId, emailCode, phoneCode)).ok).toBe(true);
    expect(await world.registry.useRecoveryCode(user.id, second[0] as string)).toMatchObject({ reason: 'mismatch' });
    expect(await failures()).toBe(1);
  });

  it('a code read before its set was replaced cannot consume the new set’s code at the same index', async () => {
    const { world, user, codes } = await userWithCodes();
    let fresh: string[] = [];
    // The set is replaced between the registry's read and its compare-and-set.
    const inner = world.store;
    const racing: RegistryStore = {
      accounts: inner.accounts,
      users: inner.users,
      devices: inner.devices,
      tokens: inner.tokens,
      attempts: inner.attempts,
      recoverySessions: inner.recoverySessions,
      challenges: inner.challenges,
      audit: inner.audit,
      transaction: (work) => inner.transaction(work),
      recoveryCodes: {
        ...inner.recoveryCodes,
        consume: async (...args) => {
          fresh = await world.registry.generateRecoveryCodes(user.id);
          return inner.recoveryCodes.consume(...args);
        },
      },
    };
    const raced = createMfaWorld({ store: racing });
    const result = await raced.registry.useRecoveryCode(user.id, codes[0] as string);
    expect(result.ok).toBe(false);
    const set = await world.store.recoveryCodes.get(user.id);
    expect(set?.codes.every((code) => code.usedAt === null)).toBe(true);
    expect((await world.registry.useRecoveryCode(user.id, fresh[0] as string)).ok).toBe(true);
  });

  it('model: fresh codes, reused codes and guesses are classified and counted as the policy says', async () => {
    type Op = { kind: 'fresh' } | { kind: 'reuse'; pick: number } | { kind: 'guess'; code: string } | { kind: 'twice' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constant({ kind: 'fresh' as const }),
      fc.constant({ kind: 'twice' as const }),
      fc.record({ kind: fc.constant('reuse' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('guess' as const), code: fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{16}$/) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (operations) => {
        const { world, user, codes, failures } = await userWithCodes({
          maxRecoveryCodeFailures: 100,
          backoffAfterFailures: 100,
        });
        const unused = [...codes];
        const used: string[] = [];
        let expectedFailures = 0;
        for (const operation of operations) {
          if (operation.kind === 'guess') {
            expectedFailures++;
            expect(await world.registry.useRecoveryCode(user.id, operation.code)).toMatchObject({
              reason: 'mismatch',
              failureCount: expectedFailures,
            });
          } else if (operation.kind === 'reuse') {
            const code = used[operation.pick % Math.max(1, used.length)];
            if (code === undefined) continue;
            expect(await world.registry.useRecoveryCode(user.id, code)).toMatchObject({
              reason: 'replayed',
              failureCount: expectedFailures,
            });
          } else {
            const code = unused.shift();
            if (code === undefined) continue;
            used.push(code);
            const submissions = operation.kind === 'twice' ? 2 : 1;
            const results = await Promise.all(
              Array.from({ length: submissions }, () => world.registry.useRecoveryCode(user.id, code)),
            );
            expect(results[0]).toMatchObject({ ok: true, remaining: unused.length });
            // The loser of the race is a reuse; the winner resets the count.
            if (submissions === 2) expect(results[1]).toMatchObject({ ok: false, reason: 'replayed' });
            expectedFailures = 0;
          }
          expect(await failures()).toBe(expectedFailures);
        }
      }),
      { numRuns: 60 },
    );
  });
});
