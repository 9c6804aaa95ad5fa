/**
 * @module
 * Whole-registry races and attacks over the store under test: what the atomic store operations
 * and transactions are for. A burst of concurrent guesses must not get more codes checked than
 * the throttle allows; one code is accepted once; limits hold when requests race.
 */
import { publicOutcome, type SignInResult } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';
import type { StoreHarness } from './store-harness.js';
import {
  createMfaWorld,
  enrollPhone,
  enrollSecurityKey,
  type MfaWorld,
  signUp,
  WORLD_RELYING_PARTY,
} from './stories.js';

const BURST = 2000;

/** Every 6-digit code but `right`, `count` of them, distinct. */
function wrongCodes(right: string, count: number): string[] {
  const codes: string[] = [];
  for (let n = 0; codes.length < count; n++) {
    const code = String(n).padStart(6, '0');
    if (code !== right) codes.push(code);
  }
  return codes;
}

/** Attempts whose code was looked at (accepted, or refused as wrong or replayed). */
const checked = (results: { ok: boolean; reason?: string }[]) =>
  results.filter((result) => result.ok || result.reason === 'mismatch' || result.reason === 'replayed');

async function auditEvents(world: MfaWorld, event: string, reason?: string) {
  return (await world.registry.listAudit()).filter(
    (record) => record.event === event && (reason === undefined || record.detail.reason === reason),
  );
}

export function registerRegistryRaceTests(harness: StoreHarness): void {
  describe('registry races and attacks on this store', () => {
    it('accepts exactly one of 20 concurrent sign-ins with the same code; the 19 replays count nothing', async () => {
      const world = createMfaWorld({ store: await harness.fresh(), maxFailures: 10 });
      const user = await signUp(world, { name: 'Racer' });
      const { authenticator } = await enrollPhone(world, user);
      const code = authenticator.code();
      const results = await Promise.all(Array.from({ length: 20 }, () => world.registry.verifySignIn(user.id, code)));
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      // Losers either lost the step's compare-and-set (replayed) or were refused while the
      // winner's reservation was in flight (throttled); none is counted.
      expect(results.filter((result) => !result.ok && result.reason === 'mismatch')).toHaveLength(0);
      expect(await auditEvents(world, 'sign_in_succeeded')).toHaveLength(1);
      expect(await world.store.attempts.get(user.id, 'otp')).toMatchObject({ failureCount: 0, lockedAt: null });
      expect((await world.registry.verifyAuditChain()).ok).toBe(true);
    });

    it(`checks at most backoffAfterFailures of ${BURST} concurrent wrong guesses`, async () => {
      const world = createMfaWorld({ store: await harness.fresh(), maxFailures: 10, backoffAfterFailures: 3 });
      const user = await signUp(world, { name: 'Guessed' });
      const { authenticator } = await enrollPhone(world, user);
      const guesses = wrongCodes(authenticator.code(), BURST);
      const results = await Promise.all(guesses.map((guess) => world.registry.verifySignIn(user.id, guess)));
      expect(results.every((result) => !result.ok)).toBe(true);
      expect(checked(results).length).toBeLessThanOrEqual(3);
      expect(checked(results).length).toBeGreaterThanOrEqual(1);
      expect(results.filter((result) => !result.ok && result.reason === 'throttled').length).toBeGreaterThanOrEqual(
        BURST - 3,
      );
      expect((await world.store.attempts.get(user.id, 'otp')).failureCount).toBe(checked(results).length);
      expect(await auditEvents(world, 'sign_in_failed', 'mismatch')).toHaveLength(checked(results).length);
    });

    it(`does not accept the right code sent last in a burst of ${BURST} guesses`, async () => {
      const world = createMfaWorld({ store: await harness.fresh(), maxFailures: 10, backoffAfterFailures: 3 });
      const user = await signUp(world, { name: 'Targeted' });
      const { authenticator } = await enrollPhone(world, user);
      const right = authenticator.code();
      const pending: Promise<SignInResult>[] = wrongCodes(right, BURST - 1).map((guess) =>
        world.registry.verifySignIn(user.id, guess),
      );
      pending.push(world.registry.verifySignIn(user.id, right));
      const results = await Promise.all(pending);
      const accepted = results.filter((result) => result.ok);
      const mismatches = results.filter((result) => !result.ok && result.reason === 'mismatch').length;
      const counted = (await world.store.attempts.get(user.id, 'otp')).failureCount;
      expect(accepted.length).toBeLessThanOrEqual(1);
      expect(await auditEvents(world, 'sign_in_failed', 'mismatch')).toHaveLength(mismatches);
      if (accepted.length === 0) {
        // Nothing reset the counter: at most 3 attempts were looked at, all counted, and the
        // right code was refused unchecked.
        expect(checked(results).length).toBeLessThanOrEqual(3);
        expect(counted).toBe(checked(results).length);
        expect(results[BURST - 1]).toMatchObject({ ok: false, reason: 'throttled' });
      } else {
        // Requests reach a store in any order (several connections, instances): the right code
        // was among the first 3 reserved, so at most 2 guesses were checked with it. Its success
        // reset the counter; the guesses reserved after that are exactly what the counter holds
        // now, at most 3. No more than that was ever looked at.
        expect(results[BURST - 1]).toMatchObject({ ok: true });
        expect(counted).toBeLessThanOrEqual(3);
        expect(mismatches - counted).toBeGreaterThanOrEqual(0);
        expect(mismatches - counted).toBeLessThanOrEqual(2);
      }
    });

    it('never accepts on a locked account, even the right code in a burst', async () => {
      // Back-off after the lockout threshold, so only the lock refuses.
      const world = createMfaWorld({ store: await harness.fresh(), maxFailures: 5, backoffAfterFailures: 100 });
      const user = await signUp(world, { name: 'Locked' });
      const { authenticator } = await enrollPhone(world, user);
      const right = authenticator.code();
      const first = await Promise.all(
        wrongCodes(right, 200).map((guess) => world.registry.verifySignIn(user.id, guess)),
      );
      expect(checked(first)).toHaveLength(5);
      expect(await world.store.attempts.get(user.id, 'otp')).toMatchObject({ failureCount: 5 });
      expect((await world.store.attempts.get(user.id, 'otp')).lockedAt).not.toBeNull();
      expect(await auditEvents(world, 'user_locked_out')).toHaveLength(1);
      world.clock.advance(3_600_000);
      const code = authenticator.code();
      const later = await Promise.all(Array.from({ length: 50 }, () => world.registry.verifySignIn(user.id, code)));
      expect(later.every((result) => !result.ok && result.reason === 'locked')).toBe(true);
    });

    it('answers a locked account exactly as a throttled one over the wire', async () => {
      const world = createMfaWorld({ store: await harness.fresh(), maxFailures: 4, backoffAfterFailures: 2 });
      const user = await signUp(world, { name: 'Observed' });
      const { authenticator } = await enrollPhone(world, user);
      const wrong = wrongCodes(authenticator.code(), 1)[0] as string;
      const answers: SignInResult[] = [];
      for (let i = 0; i < 12; i++) {
        answers.push(await world.registry.verifySignIn(user.id, wrong));
        world.clock.advance(500);
      }
      const reasons = new Set(answers.map((answer) => (answer.ok ? 'ok' : answer.reason)));
      expect(reasons).toEqual(new Set(['mismatch', 'throttled', 'locked']));
      const wire = new Set(answers.map((answer) => JSON.stringify(publicOutcome(answer))));
      expect([...wire]).toEqual([JSON.stringify({ ok: false })]);
    });

    it(`checks at most backoffAfterFailures of ${BURST} concurrent recovery-code guesses`, async () => {
      const world = createMfaWorld({
        store: await harness.fresh(),
        maxRecoveryCodeFailures: 10,
        backoffAfterFailures: 3,
      });
      const user = await signUp(world, { name: 'Code Guessed' });
      await world.registry.generateRecoveryCodes(user.id);
      const guesses = Array.from({ length: BURST }, (_, i) => `AAAA-AAAA-AAAA-${String(i).padStart(4, '0')}`);
      const results = await Promise.all(guesses.map((guess) => world.registry.useRecoveryCode(user.id, guess)));
      expect(results.every((result) => !result.ok)).toBe(true);
      expect(checked(results).length).toBeLessThanOrEqual(3);
      expect((await world.store.attempts.get(user.id, 'recovery_code')).failureCount).toBe(checked(results).length);
    });

    it('accepts exactly one of 10 concurrent uses of one recovery code; the reuses count nothing', async () => {
      const world = createMfaWorld({ store: await harness.fresh(), maxRecoveryCodeFailures: 4 });
      const user = await signUp(world, { name: 'Double Submitter' });
      const [code] = await world.registry.generateRecoveryCodes(user.id);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => world.registry.useRecoveryCode(user.id, code as string)),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.filter((result) => !result.ok && result.reason === 'mismatch')).toHaveLength(0);
      expect(await auditEvents(world, 'recovery_code_used')).toHaveLength(1);
      expect(await world.store.attempts.get(user.id, 'recovery_code')).toMatchObject({
        failureCount: 0,
        lockedAt: null,
      });
      expect((await world.registry.verifyAuditChain()).ok).toBe(true);
    });

    it('raises no clone flag when one security key signs in 10 times at once', async () => {
      const world = createMfaWorld({ store: await harness.fresh(), backoffAfterFailures: 100, maxFailures: 100 });
      const user = await signUp(world, { name: 'Key Racer', kind: 'root' });
      const { key } = await enrollSecurityKey(world, user);
      const assertions = [];
      for (let i = 0; i < 10; i++) {
        const request = await world.registry.beginSecurityKeySignIn(user.id);
        assertions.push(key.getAssertion(request, { origin: WORLD_RELYING_PARTY.origin }));
      }
      const results = await Promise.all(
        assertions.map((assertion) => world.registry.verifySecurityKeySignIn(user.id, assertion)),
      );
      const accepted = results.filter((result) => result.ok);
      expect(accepted.length).toBeGreaterThanOrEqual(1);
      expect(results.filter((result) => !result.ok && result.reason === 'counter_regression')).toHaveLength(0);
      // The ones that lost a race are replays: no failure stays counted against the owner.
      expect(results.filter((result) => !result.ok && result.reason !== 'replayed')).toHaveLength(0);
      expect(await world.store.attempts.get(user.id, 'otp')).toMatchObject({ failureCount: 0, lockedAt: null });
      const [device] = await world.registry.listDevices(user.id);
      expect(device?.kind === 'security-key' && device.flaggedAt).toBeNull();
      // The stored counter is the highest accepted one, never moved back.
      const counts = accepted.map((result) =>
        result.ok && result.deviceKind === 'security-key' ? result.signCount : 0,
      );
      const stored = await world.store.devices.get(device?.id as string);
      expect(stored?.kind === 'security-key' && stored.signCount).toBe(Math.max(...counts));
    });

    it('keeps the device limit when 12 enrollments race', async () => {
      const world = createMfaWorld({ store: await harness.fresh() });
      const user = await signUp(world, { name: 'Collector' });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => world.registry.createVirtualDevice(user.id, { name: `phone ${i}` })),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(8);
      expect(await world.store.devices.list({ userId: user.id })).toHaveLength(8);
    });

    it('lets exactly maxRecoveryStarts of 10 racing recovery starts in', async () => {
      const world = createMfaWorld({
        store: await harness.fresh(),
        maxRecoveryStarts: 3,
        recoveryStartIntervalMs: 0,
      });
      const user = await signUp(world, { name: 'Recoverer', kind: 'root' });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () => world.registry.startRecovery(user.id)),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
      expect(await world.store.recoverySessions.listByUser(user.id, -1)).toHaveLength(3);
    });

    it('completes a recovery exactly once when 5 completions race', async () => {
      const world = createMfaWorld({ store: await harness.fresh() });
      const user = await signUp(world, { name: 'Lost Phone', kind: 'root' });
      await enrollPhone(world, user);
      const { sessionId } = await world.registry.startRecovery(user.id);
      const email = world.notifier.lastCode(user.id, 'email') as string;
      const phone = world.notifier.lastCode(user.id, 'phone') as string;
      const results = await Promise.all(
        Array.from({ length: 5 }, () => world.registry.completeRecovery(sessionId, email, phone)),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(await auditEvents(world, 'recovery_completed')).toHaveLength(1);
      expect(await auditEvents(world, 'device_deactivated')).toHaveLength(1);
      expect((await world.registry.verifyAuditChain()).ok).toBe(true);
    });
  });
}
