/**
 * @module
 * Security-key sign counters over the store under test (WebAuthn §6.1.1): the counter recorded
 * with each sign-in challenge, assertions of one genuine key verified out of order (in one
 * registry or across two instances on the store) without a clone flag, and the clone signals
 * that must still flag — a clone answering after the original moved past its challenge's
 * counter, two assertions with the same counter, a key the challenge did not allow.
 */
import type { Registry, SignInResult } from '@mfakit/registry';
import type { AuthenticationResponseJSON, VirtualSecurityKey } from '@mfakit/u2f';
import { describe, expect, it } from 'vitest';
import type { StoreHarness } from './store-harness.js';
import { createMfaWorld, enrollSecurityKey, type MfaWorld, signUp, WORLD_RELYING_PARTY } from './stories.js';

const origin = WORLD_RELYING_PARTY.origin;

/** A world whose throttle never gets in the way (these tests count refusals themselves). */
async function keyWorld(harness: StoreHarness) {
  const world = createMfaWorld({ store: await harness.fresh(), backoffAfterFailures: 100, maxFailures: 100 });
  const user = await signUp(world, { name: 'Key Holder', kind: 'root' });
  const { deviceId, key } = await enrollSecurityKey(world, user);
  return { world, user, deviceId, key };
}

/** `key`'s assertion over a fresh sign-in challenge of `registry` (not yet verified). */
async function assertion(registry: Registry, userId: string, key: VirtualSecurityKey) {
  return key.getAssertion(await registry.beginSecurityKeySignIn(userId), { origin });
}

async function keyState(world: MfaWorld, deviceId: string) {
  const device = await world.store.devices.get(deviceId);
  if (device?.kind !== 'security-key') throw new Error('not a security key');
  return { signCount: device.signCount, flaggedAt: device.flaggedAt };
}

async function causes(world: MfaWorld, event = 'sign_in_failed') {
  return (await world.registry.listAudit())
    .filter((record) => record.event === event)
    .map((record) => record.detail.cause);
}

const refusedAs = (result: SignInResult) => (result.ok ? 'ok' : result.reason);

export function registerKeyCounterTests(harness: StoreHarness): void {
  describe('security-key counters', () => {
    it('refuses, without a clone flag, a lower counter verified after a higher one of the same key', async () => {
      const { world, user, deviceId, key } = await keyWorld(harness);
      // One genuine key answers two challenges (counters 1 and 2); the answers arrive in reverse order.
      const first = await assertion(world.registry, user.id, key);
      const second = await assertion(world.registry, user.id, key);
      expect(await world.registry.verifySecurityKeySignIn(user.id, second)).toMatchObject({ ok: true, signCount: 2 });
      const late = await world.registry.verifySecurityKeySignIn(user.id, first);
      // Refused as a lost race, like a TOTP code whose step was accepted first: no failure counted.
      expect(late).toMatchObject({ ok: false, reason: 'replayed', failureCount: 0 });
      expect(await world.store.attempts.get(user.id, 'otp')).toMatchObject({ failureCount: 0, lockedAt: null });
      expect(await causes(world, 'sign_in_replayed')).toEqual(['concurrent_sign_in']);
      expect(await causes(world)).toEqual([]);
      // The counter never moves back, and the key still signs in.
      expect(await keyState(world, deviceId)).toEqual({ signCount: 2, flaggedAt: null });
      expect(
        (await world.registry.verifySecurityKeySignIn(user.id, await assertion(world.registry, user.id, key))).ok,
      ).toBe(true);
    });

    it('does the same across two registry instances on this store', async () => {
      const { world, user, deviceId, key } = await keyWorld(harness);
      const other = createMfaWorld({ store: world.store, backoffAfterFailures: 100, maxFailures: 100 });
      const viaFirst = await assertion(world.registry, user.id, key);
      const viaOther = await assertion(other.registry, user.id, key);
      expect((await other.registry.verifySecurityKeySignIn(user.id, viaOther)).ok).toBe(true);
      expect(refusedAs(await world.registry.verifySecurityKeySignIn(user.id, viaFirst))).toBe('replayed');
      expect(await keyState(world, deviceId)).toEqual({ signCount: 2, flaggedAt: null });
    });

    it('flags a clone that answers a challenge issued after the original moved past its counter', async () => {
      const { world, user, deviceId, key } = await keyWorld(harness);
      const clone = key.clone();
      // The original signs in twice (counter 2 stored); the clone then signs a new challenge with counter 1.
      for (let i = 0; i < 2; i++) {
        expect(
          (await world.registry.verifySecurityKeySignIn(user.id, await assertion(world.registry, user.id, key))).ok,
        ).toBe(true);
      }
      const cloned = await assertion(world.registry, user.id, clone);
      expect(refusedAs(await world.registry.verifySecurityKeySignIn(user.id, cloned))).toBe('counter_regression');
      expect((await keyState(world, deviceId)).flaggedAt).toBe(world.clock.now());
      expect(
        (await world.registry.listAudit()).find((r) => r.event === 'security_key_counter_regression')?.detail,
      ).toMatchObject({
        storedSignCount: 2,
        signCountAtChallenge: 2,
      });
    });

    it.each(['original first', 'clone first'] as const)(
      'flags two assertions with the same counter, whichever is verified first (%s)',
      async (order) => {
        const { world, user, deviceId, key } = await keyWorld(harness);
        const clone = key.clone();
        // Both challenges are issued before either answer: both counters (1) are above the one recorded (0).
        const byKey = await assertion(world.registry, user.id, key);
        const byClone = await assertion(world.registry, user.id, clone);
        const [earlier, later] = order === 'original first' ? [byKey, byClone] : [byClone, byKey];
        expect(await world.registry.verifySecurityKeySignIn(user.id, earlier)).toMatchObject({
          ok: true,
          signCount: 1,
        });
        expect(refusedAs(await world.registry.verifySecurityKeySignIn(user.id, later))).toBe('counter_regression');
        expect(await keyState(world, deviceId)).toEqual({ signCount: 1, flaggedAt: world.clock.now() });
      },
    );

    it('flags one of two assertions with the same counter verified at once', async () => {
      const { world, user, deviceId, key } = await keyWorld(harness);
      const clone = key.clone();
      const answers: AuthenticationResponseJSON[] = [];
      for (const signer of [key, clone, key, clone]) answers.push(await assertion(world.registry, user.id, signer));
      // Counters 1, 1, 2, 2: of each equal pair one may be accepted, and the key ends flagged.
      const results = await Promise.all(
        answers.map((answer) => world.registry.verifySecurityKeySignIn(user.id, answer)),
      );
      const reasons = results.map(refusedAs);
      expect(reasons.filter((reason) => reason === 'ok').length).toBeLessThanOrEqual(2);
      expect(reasons).toContain('counter_regression');
      expect((await keyState(world, deviceId)).flaggedAt).not.toBeNull();
    });

    it('refuses a key the challenge did not allow (enrolled after it was issued), without a flag', async () => {
      const { world, user, key } = await keyWorld(harness);
      const early = await world.registry.beginSecurityKeySignIn(user.id);
      const { deviceId: laterId, key: later } = await enrollSecurityKey(world, user, { name: 'second key' });
      // The client answers the early challenge with the new key's credential.
      const fresh = await world.registry.beginSecurityKeySignIn(user.id);
      const answer = later.getAssertion({ ...early, allowCredentials: fresh.allowCredentials }, { origin });
      expect(refusedAs(await world.registry.verifySecurityKeySignIn(user.id, answer))).toBe('mismatch');
      expect(await causes(world)).toEqual(['not_allowed']);
      expect((await keyState(world, laterId)).flaggedAt).toBeNull();
      // Both keys sign in with challenges issued after the enrollment.
      for (const signer of [later, key]) {
        const answerFresh = await assertion(world.registry, user.id, signer);
        expect((await world.registry.verifySecurityKeySignIn(user.id, answerFresh)).ok).toBe(true);
      }
    });

    it('records each allowed key with its counter in the sign-in challenge', async () => {
      const { world, user, deviceId, key } = await keyWorld(harness);
      expect(
        (await world.registry.verifySecurityKeySignIn(user.id, await assertion(world.registry, user.id, key))).ok,
      ).toBe(true);
      const { deviceId: secondId } = await enrollSecurityKey(world, user, { name: 'second key' });
      const { challenge } = await world.registry.beginSecurityKeySignIn(user.id);
      const record = await world.store.challenges.take(challenge);
      const byId = (a: { deviceId: string }, b: { deviceId: string }) => (a.deviceId < b.deviceId ? -1 : 1);
      expect(record?.allowedKeys.slice().sort(byId)).toEqual(
        [
          { deviceId, signCount: 1 },
          { deviceId: secondId, signCount: 0 },
        ].sort(byId),
      );
    });
  });
}
