/**
 * @module
 * Conformance cases for users, failure counters and recovery codes.
 */
import { describe, expect, it } from 'vitest';
import type { StoreHarness } from './conformance.js';
import { plain, SAMPLE_TIME, sampleUser } from './sample-records.js';

export function registerRecordTests(harness: StoreHarness): void {
  describe('users', () => {
    it('inserts and reads a user back unchanged', async () => {
      const store = await harness.fresh();
      const user = sampleUser('alice', { kind: 'root', name: 'Alice Ünïcode' });
      expect(await store.insertUser(user)).toBe(true);
      expect(await store.getUser('alice')).toEqual(user);
      expect(await store.getUser('nobody')).toBeUndefined();
    });

    it('refuses a duplicate id without changing the first user', async () => {
      const store = await harness.fresh();
      await store.insertUser(sampleUser('alice'));
      expect(await store.insertUser(sampleUser('alice', { name: 'Impostor' }))).toBe(false);
      expect((await store.getUser('alice'))?.name).toBe('User alice');
    });

    it('lists users by creation time, then id', async () => {
      const store = await harness.fresh();
      await store.insertUser(sampleUser('c', { createdAt: SAMPLE_TIME + 1 }));
      await store.insertUser(sampleUser('b', { createdAt: SAMPLE_TIME }));
      await store.insertUser(sampleUser('a', { createdAt: SAMPLE_TIME + 1 }));
      expect((await store.listUsers()).map((user) => user.id)).toEqual(['b', 'a', 'c']);
    });

    it('returns copies', async () => {
      const store = await harness.fresh();
      await store.insertUser(sampleUser('alice'));
      const user = await store.getUser('alice');
      if (user === undefined) throw new Error('missing');
      user.name = 'changed';
      expect((await store.getUser('alice'))?.name).toBe('User alice');
    });
  });

  describe('failure counters', () => {
    it('starts at zero and increments with the lock set at the threshold', async () => {
      const store = await harness.fresh();
      expect(await store.getFailureState('u1', 'otp')).toEqual({
        userId: 'u1',
        scope: 'otp',
        failureCount: 0,
        lastFailureAt: null,
        lockedAt: null,
      });
      const first = await store.recordFailure('u1', 'otp', 1000, 3);
      expect(first).toEqual({ userId: 'u1', scope: 'otp', failureCount: 1, lastFailureAt: 1000, lockedAt: null });
      await store.recordFailure('u1', 'otp', 2000, 3);
      const third = await store.recordFailure('u1', 'otp', 3000, 3);
      expect(third.lockedAt).toBe(3000);
      const fourth = await store.recordFailure('u1', 'otp', 4000, 3);
      expect(fourth).toEqual({ userId: 'u1', scope: 'otp', failureCount: 4, lastFailureAt: 4000, lockedAt: 3000 });
      expect(await store.getFailureState('u1', 'otp')).toEqual(fourth);
    });

    it('keeps users and scopes apart, and resets one of them', async () => {
      const store = await harness.fresh();
      await store.recordFailure('u1', 'otp', 1, 10);
      await store.recordFailure('u1', 'otp', 2, 10);
      await store.recordFailure('u1', 'recovery_code', 3, 10);
      await store.recordFailure('u2', 'otp', 4, 10);
      expect((await store.getFailureState('u1', 'otp')).failureCount).toBe(2);
      expect((await store.getFailureState('u1', 'recovery_code')).failureCount).toBe(1);
      await store.resetFailures('u1', 'otp');
      expect(await store.getFailureState('u1', 'otp')).toMatchObject({
        failureCount: 0,
        lockedAt: null,
        lastFailureAt: null,
      });
      expect((await store.getFailureState('u1', 'recovery_code')).failureCount).toBe(1);
      expect((await store.getFailureState('u2', 'otp')).failureCount).toBe(1);
    });

    it('counts 20 concurrent failures exactly, each caller seeing a distinct count', async () => {
      const store = await harness.fresh();
      const states = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.recordFailure('u1', 'otp', 1000 + i, 10)),
      );
      expect(states.map((state) => state.failureCount).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      const final = await store.getFailureState('u1', 'otp');
      expect(final.failureCount).toBe(20);
      expect(final.lockedAt).not.toBeNull();
    });
  });

  describe('recovery codes', () => {
    const set = (userId: string, fill: number) => ({
      userId,
      salt: new Uint8Array(16).fill(fill),
      createdAt: SAMPLE_TIME,
      codes: [0, 1, 2].map((index) => ({ index, hash: new Uint8Array(32).fill(fill + index), usedAt: null })),
    });

    it('stores a set and reads it back', async () => {
      const store = await harness.fresh();
      expect(await store.getRecoveryCodes('u1')).toBeUndefined();
      await store.replaceRecoveryCodes(set('u1', 1));
      expect(plain(await store.getRecoveryCodes('u1'))).toEqual(plain(set('u1', 1)));
    });

    /** The hash stored at `index` by `set(userId, fill)`. */
    const hashOf = (fill: number, index: number) => new Uint8Array(32).fill(fill + index);

    it('consumes each code once', async () => {
      const store = await harness.fresh();
      await store.replaceRecoveryCodes(set('u1', 1));
      expect(await store.consumeRecoveryCode('u1', 1, hashOf(1, 1), 5000)).toBe(true);
      expect(await store.consumeRecoveryCode('u1', 1, hashOf(1, 1), 6000)).toBe(false);
      expect(await store.consumeRecoveryCode('u1', 7, hashOf(1, 7), 6000)).toBe(false);
      expect(await store.consumeRecoveryCode('u2', 0, hashOf(1, 0), 6000)).toBe(false);
      const codes = (await store.getRecoveryCodes('u1'))?.codes;
      expect(codes?.map((code) => code.usedAt)).toEqual([null, 5000, null]);
    });

    it("keeps a used code's hash, with usedAt, until the set is replaced (a reuse is recognised by it)", async () => {
      const store = await harness.fresh();
      await store.replaceRecoveryCodes(set('u1', 1));
      await store.consumeRecoveryCode('u1', 0, hashOf(1, 0), 5000);
      await store.consumeRecoveryCode('u1', 2, hashOf(1, 2), 6000);
      expect(plain(await store.getRecoveryCodes('u1'))).toEqual(
        plain({
          ...set('u1', 1),
          codes: [
            { index: 0, hash: hashOf(1, 0), usedAt: 5000 },
            { index: 1, hash: hashOf(1, 1), usedAt: null },
            { index: 2, hash: hashOf(1, 2), usedAt: 6000 },
          ],
        }),
      );
    });

    it('refuses to consume a code whose hash is not the stored one (a set replaced since it was read)', async () => {
      const store = await harness.fresh();
      await store.replaceRecoveryCodes(set('u1', 1));
      await store.replaceRecoveryCodes(set('u1', 50));
      // Index 0 of the old set (fill 1) must not consume index 0 of the new set (fill 50).
      expect(await store.consumeRecoveryCode('u1', 0, hashOf(1, 0), 5000)).toBe(false);
      expect(plain(await store.getRecoveryCodes('u1'))).toEqual(plain(set('u1', 50)));
      expect(await store.consumeRecoveryCode('u1', 0, hashOf(50, 0), 5000)).toBe(true);
    });

    it('lets exactly one of 10 concurrent uses of one code win', async () => {
      const store = await harness.fresh();
      await store.replaceRecoveryCodes(set('u1', 1));
      const wins = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.consumeRecoveryCode('u1', 0, hashOf(1, 0), 1000 + i)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('replaces the whole set and deletes it', async () => {
      const store = await harness.fresh();
      await store.replaceRecoveryCodes(set('u1', 1));
      await store.consumeRecoveryCode('u1', 0, hashOf(1, 0), 1);
      await store.replaceRecoveryCodes(set('u1', 50));
      expect(plain(await store.getRecoveryCodes('u1'))).toEqual(plain(set('u1', 50)));
      await store.deleteRecoveryCodes('u1');
      expect(await store.getRecoveryCodes('u1')).toBeUndefined();
    });
  });
}
