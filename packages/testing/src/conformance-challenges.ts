/**
 * @module
 * Conformance cases for WebAuthn challenges: the allowed keys and their counters kept as given,
 * single use under races, expiry purge per user.
 */
import type { ChallengeRecord } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';
import { SAMPLE_TIME } from './sample-records.js';
import type { StoreHarness } from './store-harness.js';

const challenge = (id: string, userId = 'u1', overrides: Partial<ChallengeRecord> = {}): ChallengeRecord => ({
  id,
  userId,
  ceremony: 'authentication',
  createdAt: SAMPLE_TIME,
  expiresAt: SAMPLE_TIME + 300_000,
  allowedKeys: [],
  ...overrides,
});

export function registerChallengeTests(harness: StoreHarness): void {
  describe('challenges', () => {
    it('gives a challenge back once, then never again', async () => {
      const store = await harness.fresh();
      await store.challenges.insert(challenge('c1', 'u1', { ceremony: 'registration' }));
      expect(await store.challenges.take('c1')).toEqual(challenge('c1', 'u1', { ceremony: 'registration' }));
      expect(await store.challenges.take('c1')).toBeUndefined();
      expect(await store.challenges.take('unknown')).toBeUndefined();
      await expect(
        (async () => {
          await store.challenges.insert(challenge('c2'));
          await store.challenges.insert(challenge('c2', 'u2'));
        })(),
      ).rejects.toThrow();
    });

    it("keeps the allowed keys' counters exactly, in order, as copies", async () => {
      const store = await harness.fresh();
      const allowedKeys = [
        { deviceId: 'k2', signCount: 2 ** 32 - 1 },
        { deviceId: 'k1', signCount: 0 },
        { deviceId: 'k3', signCount: 41 },
      ];
      const given = challenge('c1', 'u1', { allowedKeys });
      await store.challenges.insert(given);
      // The store keeps its own copy: editing what was inserted changes nothing.
      allowedKeys[2] = { deviceId: 'k3', signCount: 1 };
      expect(await store.challenges.take('c1')).toEqual({
        ...given,
        allowedKeys: [
          { deviceId: 'k2', signCount: 2 ** 32 - 1 },
          { deviceId: 'k1', signCount: 0 },
          { deviceId: 'k3', signCount: 41 },
        ],
      });
      await store.challenges.insert(challenge('c2', 'u1', { ceremony: 'registration' }));
      expect((await store.challenges.take('c2'))?.allowedKeys).toEqual([]);
    });

    it('lets exactly one of 10 racing takes have it', async () => {
      const store = await harness.fresh();
      await store.challenges.insert(challenge('c1'));
      const taken = await Promise.all(Array.from({ length: 10 }, () => store.challenges.take('c1')));
      expect(taken.filter((record) => record !== undefined)).toHaveLength(1);
    });

    it("deletes only the user's expired challenges", async () => {
      const store = await harness.fresh();
      await store.challenges.insert(challenge('old', 'u1', { expiresAt: SAMPLE_TIME }));
      await store.challenges.insert(challenge('new', 'u1', { expiresAt: SAMPLE_TIME + 1 }));
      await store.challenges.insert(challenge('theirs', 'u2', { expiresAt: SAMPLE_TIME }));
      expect(await store.challenges.deleteExpired('u1', SAMPLE_TIME)).toBe(1);
      expect(await store.challenges.take('old')).toBeUndefined();
      expect(await store.challenges.take('new')).toBeDefined();
      expect(await store.challenges.take('theirs')).toBeDefined();
    });
  });
}
