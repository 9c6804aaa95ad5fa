/**
 * @module
 * Conformance cases for lost-device recovery sessions: storage, listing, attempts, finishing.
 * The start limit and completion are registry flows over these and `transaction`; their races
 * are in conformance-races.ts.
 */
import { describe, expect, it } from 'vitest';
import { plain, SAMPLE_TIME, sampleSession } from './sample-records.js';
import type { StoreHarness } from './store-harness.js';

export function registerRecoverySessionTests(harness: StoreHarness): void {
  describe('recovery sessions', () => {
    it('stores a session and reads it back', async () => {
      const store = await harness.fresh();
      const session = sampleSession('s1', 'u1');
      await store.recoverySessions.insert(session);
      expect(plain(await store.recoverySessions.get('s1'))).toEqual(plain(session));
      expect(await store.recoverySessions.get('s2')).toBeUndefined();
    });

    it("lists a user's sessions created after a time, in creation order", async () => {
      const store = await harness.fresh();
      await store.recoverySessions.insert(sampleSession('b', 'u1', { createdAt: SAMPLE_TIME + 10 }));
      await store.recoverySessions.insert(sampleSession('a', 'u1', { createdAt: SAMPLE_TIME + 10, state: 'failed' }));
      await store.recoverySessions.insert(sampleSession('old', 'u1', { createdAt: SAMPLE_TIME }));
      await store.recoverySessions.insert(sampleSession('other', 'u2', { createdAt: SAMPLE_TIME + 20 }));
      expect((await store.recoverySessions.listByUser('u1', -1)).map((session) => session.id)).toEqual([
        'old',
        'a',
        'b',
      ]);
      expect((await store.recoverySessions.listByUser('u1', SAMPLE_TIME)).map((session) => session.id)).toEqual([
        'a',
        'b',
      ]);
      expect(await store.recoverySessions.listByUser('nobody', -1)).toEqual([]);
      await expect(store.recoverySessions.insert(sampleSession('a', 'u3'))).rejects.toThrow();
    });

    it('counts concurrent attempts exactly', async () => {
      const store = await harness.fresh();
      await store.recoverySessions.insert(sampleSession('s1', 'u1'));
      const counts = await Promise.all(
        Array.from({ length: 10 }, () => store.recoverySessions.incrementAttempts('s1')),
      );
      expect(counts.sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect((await store.recoverySessions.get('s1'))?.attempts).toBe(10);
      expect(await store.recoverySessions.incrementAttempts('missing')).toBeUndefined();
    });

    it('finishes an open session once, even when raced', async () => {
      const store = await harness.fresh();
      await store.recoverySessions.insert(sampleSession('s1', 'u1'));
      const wins = await Promise.all([
        store.recoverySessions.finish('s1', 'completed', 10),
        store.recoverySessions.finish('s1', 'completed', 11),
        store.recoverySessions.finish('s1', 'failed', 12),
        store.recoverySessions.finish('s1', 'superseded', 13),
      ]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await store.recoverySessions.finish('s1', 'failed', 13)).toBe(false);
      expect(await store.recoverySessions.finish('missing', 'failed', 13)).toBe(false);
      expect((await store.recoverySessions.get('s1'))?.finishedAt).not.toBeNull();
    });
  });
}
