/**
 * @module
 * Whole-registry races over the store under test: what the atomic store operations are for.
 */
import { describe, expect, it } from 'vitest';
import type { StoreHarness } from './conformance.js';
import { createMfaWorld, enrollPhone, signUp } from './stories.js';

export function registerRegistryRaceTests(harness: StoreHarness): void {
  describe('registry races on this store', () => {
    it('accepts exactly one of 20 concurrent sign-ins with the same code; the 19 replays lock nothing', async () => {
      const world = createMfaWorld({ store: await harness.fresh(), maxFailures: 10 });
      const user = await signUp(world, { name: 'Racer' });
      const { authenticator } = await enrollPhone(world, user);
      const code = authenticator.code();
      const results = await Promise.all(Array.from({ length: 20 }, () => world.registry.verifySignIn(user.id, code)));
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.filter((result) => !result.ok && result.reason === 'replayed')).toHaveLength(19);
      const audit = await world.registry.listAudit();
      expect(audit.filter((record) => record.event === 'verify_ok')).toHaveLength(1);
      expect(audit.filter((record) => record.event === 'verify_replay')).toHaveLength(19);
      // Replays prove possession; they are not guesses and do not count toward lockout.
      expect(await world.store.getFailureState(user.id, 'otp')).toMatchObject({ failureCount: 0, lockedAt: null });
      expect((await world.registry.verifyAuditChain()).ok).toBe(true);
    });

    it('accepts exactly one of 10 concurrent uses of one recovery code; the 9 reuses count nothing', async () => {
      const world = createMfaWorld({ store: await harness.fresh(), maxRecoveryCodeFailures: 4 });
      const user = await signUp(world, { name: 'Double Submitter' });
      const [code] = await world.registry.generateRecoveryCodes(user.id);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => world.registry.useRecoveryCode(user.id, code as string)),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.filter((result) => !result.ok && result.reason === 'replayed')).toHaveLength(9);
      const audit = await world.registry.listAudit();
      expect(audit.filter((record) => record.event === 'recovery_code_used')).toHaveLength(1);
      expect(audit.filter((record) => record.event === 'recovery_code_reused')).toHaveLength(9);
      expect(await world.store.getFailureState(user.id, 'recovery_code')).toMatchObject({
        failureCount: 0,
        lockedAt: null,
      });
      expect((await world.registry.verifyAuditChain()).ok).toBe(true);
    });

    it('counts 15 concurrent wrong codes exactly', async () => {
      const world = createMfaWorld({ store: await harness.fresh(), maxFailures: 100 });
      const user = await signUp(world, { name: 'Guesser' });
      const { authenticator } = await enrollPhone(world, user);
      const wrong = authenticator.code() === '000000' ? '111111' : '000000';
      const results = await Promise.all(Array.from({ length: 15 }, () => world.registry.verifySignIn(user.id, wrong)));
      expect(results.every((result) => !result.ok)).toBe(true);
      expect((await world.store.getFailureState(user.id, 'otp')).failureCount).toBe(15);
    });

    it('locks out under concurrent failures and audits the lockout once', async () => {
      const world = createMfaWorld({ store: await harness.fresh(), maxFailures: 10 });
      const user = await signUp(world, { name: 'Burst' });
      const { authenticator } = await enrollPhone(world, user);
      const wrong = authenticator.code() === '000000' ? '111111' : '000000';
      await Promise.all(Array.from({ length: 20 }, () => world.registry.verifySignIn(user.id, wrong)));
      const state = await world.store.getFailureState(user.id, 'otp');
      expect(state.failureCount).toBeGreaterThanOrEqual(10);
      expect(state.lockedAt).not.toBeNull();
      const lockouts = (await world.registry.listAudit()).filter((record) => record.event === 'lockout');
      expect(lockouts).toHaveLength(1);
      world.clock.advance(60_000);
      const locked = await world.registry.verifySignIn(user.id, authenticator.code());
      expect(locked).toMatchObject({ ok: false, reason: 'locked' });
    });
  });
}
