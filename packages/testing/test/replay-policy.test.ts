import { publicOutcome } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, signUp } from '@mfakit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrongCode } from './helpers.js';

// Policy (docs/decisions.md): a replay is refused and audited as `sign_in_replayed`, but it is
// evidence of possession, not of guessing, so it neither counts toward lockout nor resets the
// count. Wrong codes still count.
describe('replays are refused but do not count toward lockout', () => {
  it('20 concurrent submissions of one valid code: one accepted, none counted, no lockout', async () => {
    // maxFailures 10: 19 counted replays used to lock the account. Each submission is now
    // reserved before it is checked: the losers either lost the step's compare-and-set
    // (replayed, the count given back) or were refused unchecked while earlier reservations were
    // in flight (throttled).
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Double Clicker' });
    const { authenticator } = await enrollPhone(world, user);
    const code = authenticator.code();
    const results = await Promise.all(Array.from({ length: 20 }, () => world.registry.verifySignIn(user.id, code)));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const losers = results.filter((result) => !result.ok);
    for (const loser of losers) expect(['replayed', 'throttled']).toContain(loser.reason);
    const replays = losers.filter((result) => result.reason === 'replayed');
    expect(replays.length).toBeGreaterThanOrEqual(1);
    expect(await world.store.attempts.get(user.id, 'otp')).toMatchObject({ failureCount: 0, lockedAt: null });

    const audit = await world.registry.listAudit();
    expect(audit.filter((record) => record.event === 'sign_in_replayed')).toHaveLength(replays.length);
    expect(audit.filter((record) => record.event === 'user_locked_out')).toHaveLength(0);
    expect(audit.filter((record) => record.event === 'sign_in_failed' && record.detail.reason === 'mismatch')).toEqual(
      [],
    );
    // The device whose code was replayed is named.
    for (const record of audit.filter((record) => record.event === 'sign_in_replayed')) {
      expect(record).toMatchObject({ outcome: 'fail', detail: { reason: 'replayed' } });
      expect(record.deviceId).not.toBeNull();
    }

    world.clock.step();
    expect((await world.registry.verifySignIn(user.id, authenticator.code())).ok).toBe(true);
  });

  it('a replay neither counts nor resets the count: wrong, wrong, replay, wrong → 3', async () => {
    const world = createMfaWorld({ backoffAfterFailures: 50 });
    const user = await signUp(world, { name: 'Mixed' });
    const { authenticator } = await enrollPhone(world, user);
    const code = authenticator.code();
    expect((await world.registry.verifySignIn(user.id, code)).ok).toBe(true);
    await world.registry.verifySignIn(user.id, wrongCode(authenticator));
    await world.registry.verifySignIn(user.id, wrongCode(authenticator));
    const replay = await world.registry.verifySignIn(user.id, code);
    expect(replay).toEqual({ ok: false, reason: 'replayed', failureCount: 2, locked: false, retryAfterMs: 0 });
    expect((await world.store.attempts.get(user.id, 'otp')).failureCount).toBe(2);
    expect(await world.registry.verifySignIn(user.id, wrongCode(authenticator))).toMatchObject({
      reason: 'mismatch',
      failureCount: 3,
    });
  });

  it('a replay during a back-off is throttled, and a locked account stays locked', async () => {
    const world = createMfaWorld({ maxFailures: 4, backoffAfterFailures: 3 });
    const user = await signUp(world, { name: 'Still Throttled' });
    const { authenticator } = await enrollPhone(world, user);
    const code = authenticator.code();
    expect((await world.registry.verifySignIn(user.id, code)).ok).toBe(true);
    for (let i = 0; i < 3; i++) await world.registry.verifySignIn(user.id, wrongCode(authenticator));
    expect(await world.registry.verifySignIn(user.id, code)).toMatchObject({ reason: 'throttled', failureCount: 3 });
    world.clock.advance(1000);
    await world.registry.verifySignIn(user.id, wrongCode(authenticator));
    world.clock.advance(60_000); // past the back-off: what is left is the lockout
    expect(await world.registry.verifySignIn(user.id, code)).toMatchObject({ reason: 'locked', locked: true });
  });

  it('answers a replay exactly like a wrong code over the wire', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Observer' });
    const { authenticator } = await enrollPhone(world, user);
    const code = authenticator.code();
    await world.registry.verifySignIn(user.id, code);
    const replay = await world.registry.verifySignIn(user.id, code);
    const wrong = await world.registry.verifySignIn(user.id, wrongCode(authenticator));
    expect(replay.ok || wrong.ok).toBe(false);
    expect(publicOutcome(replay)).toEqual({ ok: false });
    expect(publicOutcome(wrong)).toEqual({ ok: false });
    expect(JSON.stringify(publicOutcome(replay))).toBe(JSON.stringify(publicOutcome(wrong)));
  });

  it('only a code of an already-accepted step inside the window is a replay; every other wrong code counts', async () => {
    const world = createMfaWorld({ maxFailures: 100, backoffAfterFailures: 100 });
    const user = await signUp(world, { name: 'Classifier' });
    const { authenticator } = await enrollPhone(world, user);
    world.clock.step(5);
    const now = authenticator.step();
    expect((await world.registry.verifySignIn(user.id, authenticator.codeAtStep(now))).ok).toBe(true);
    const failures = async () => (await world.store.attempts.get(user.id, 'otp')).failureCount;

    // now - 1 was never accepted, but it is ≤ lastAcceptedStep and inside the ±1 window.
    expect(await world.registry.verifySignIn(user.id, authenticator.codeAtStep(now - 1))).toMatchObject({
      reason: 'replayed',
    });
    expect(await failures()).toBe(0);
    // Outside the window an old code is just a wrong code.
    const stale = authenticator.codeAtStep(now - 2);
    const nearCodes = [now - 1, now, now + 1].map((step) => authenticator.codeAtStep(step));
    if (!nearCodes.includes(stale)) {
      expect(await world.registry.verifySignIn(user.id, stale)).toMatchObject({ reason: 'mismatch' });
      expect(await failures()).toBe(1);
    }
  });

  it('model: random guesses and nearby codes are classified and counted as the policy says', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('guess' as const), code: fc.stringMatching(/^[0-9]{6}$/) }),
            fc.record({ kind: fc.constant('offset' as const), offset: fc.integer({ min: -3, max: 2 }) }),
            fc.record({ kind: fc.constant('advance' as const), steps: fc.integer({ min: 1, max: 2 }) }),
          ),
          { minLength: 1, maxLength: 25 },
        ),
        async (operations) => {
          const world = createMfaWorld({ maxFailures: 100, backoffAfterFailures: 100 });
          const user = await signUp(world, { name: 'Model' });
          const { authenticator } = await enrollPhone(world, user);
          let lastAccepted = authenticator.step() - 1; // enrollment accepted the previous step
          let drift = 0; // a sign-in re-learns the drift, and the window follows it
          let expectedFailures = 0;
          for (const op of operations) {
            if (op.kind === 'advance') {
              world.clock.step(op.steps);
              continue;
            }
            const now = authenticator.step();
            const code = op.kind === 'guess' ? op.code : authenticator.codeAtStep(now + op.offset);
            // The window is ±1 around now + drift; the lowest fresh matching step wins.
            const window = [now + drift - 1, now + drift, now + drift + 1];
            const matching = window.filter((step) => authenticator.codeAtStep(step) === code);
            const fresh = matching.filter((step) => step > lastAccepted);
            const result = await world.registry.verifySignIn(user.id, code);
            if (fresh.length > 0) {
              lastAccepted = Math.min(...fresh);
              drift = lastAccepted - now;
              expect(result).toMatchObject({ ok: true, step: lastAccepted, driftSteps: drift });
              expectedFailures = 0;
            } else if (matching.length > 0) {
              expect(result).toMatchObject({ ok: false, reason: 'replayed', failureCount: expectedFailures });
            } else {
              expectedFailures++;
              expect(result).toMatchObject({ ok: false, reason: 'mismatch', failureCount: expectedFailures });
            }
            expect((await world.store.attempts.get(user.id, 'otp')).failureCount).toBe(expectedFailures);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
