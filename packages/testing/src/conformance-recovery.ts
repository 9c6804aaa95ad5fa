/**
 * @module
 * Conformance cases for lost-device recovery sessions: storage, the per-user start limit (checked
 * and inserted atomically), attempts and finishing.
 */
import type { RecoveryStartLimit } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';
import type { StoreHarness } from './conformance.js';
import { plain, SAMPLE_START_LIMIT, SAMPLE_TIME, sampleSession } from './sample-records.js';

const HOUR = 3_600_000;

export function registerRecoverySessionTests(harness: StoreHarness): void {
  describe('recovery sessions', () => {
    it('stores a session and reads it back', async () => {
      const store = await harness.fresh();
      const session = sampleSession('s1', 'u1');
      expect(await store.insertRecoverySession(session, SAMPLE_START_LIMIT)).toEqual({ inserted: true });
      expect(plain(await store.getRecoverySession('s1'))).toEqual(plain(session));
      expect(await store.getRecoverySession('s2')).toBeUndefined();
    });

    it("supersedes the user's open sessions, not other users' or closed ones", async () => {
      const store = await harness.fresh();
      const insert = (session: ReturnType<typeof sampleSession>) =>
        store.insertRecoverySession(session, SAMPLE_START_LIMIT);
      await insert(sampleSession('done', 'u1', { state: 'completed', finishedAt: SAMPLE_TIME }));
      await insert(sampleSession('s1', 'u1'));
      await insert(sampleSession('other', 'u2'));
      await insert(sampleSession('s2', 'u1', { createdAt: SAMPLE_TIME + 10 }));
      expect(await store.getRecoverySession('s1')).toMatchObject({ state: 'superseded', finishedAt: SAMPLE_TIME + 10 });
      expect((await store.getRecoverySession('done'))?.state).toBe('completed');
      expect((await store.getRecoverySession('other'))?.state).toBe('open');
      expect((await store.getRecoverySession('s2'))?.state).toBe('open');
    });

    it('counts concurrent attempts exactly', async () => {
      const store = await harness.fresh();
      await store.insertRecoverySession(sampleSession('s1', 'u1'), SAMPLE_START_LIMIT);
      const counts = await Promise.all(Array.from({ length: 10 }, () => store.incrementRecoveryAttempts('s1')));
      expect(counts.sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect((await store.getRecoverySession('s1'))?.attempts).toBe(10);
      expect(await store.incrementRecoveryAttempts('missing')).toBeUndefined();
    });

    it('finishes an open session once, even when raced', async () => {
      const store = await harness.fresh();
      await store.insertRecoverySession(sampleSession('s1', 'u1'), SAMPLE_START_LIMIT);
      const wins = await Promise.all([
        store.finishRecoverySession('s1', 'completed', 10),
        store.finishRecoverySession('s1', 'completed', 11),
        store.finishRecoverySession('s1', 'failed', 12),
      ]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await store.finishRecoverySession('s1', 'failed', 13)).toBe(false);
      expect(await store.finishRecoverySession('missing', 'failed', 13)).toBe(false);
      expect((await store.getRecoverySession('s1'))?.finishedAt).not.toBeNull();
    });
  });

  describe('recovery start limit', () => {
    const at = (offsetMs: number, id: string, userId = 'u1') =>
      sampleSession(id, userId, { createdAt: SAMPLE_TIME + offsetMs, expiresAt: SAMPLE_TIME + offsetMs + 900_000 });

    it('refuses a start sooner than the minimum interval, changing nothing, and says when to retry', async () => {
      const store = await harness.fresh();
      const limit: RecoveryStartLimit = { maxStarts: 10, windowMs: HOUR, minIntervalMs: 60_000 };
      expect(await store.insertRecoverySession(at(0, 's1'), limit)).toEqual({ inserted: true });
      expect(await store.insertRecoverySession(at(59_999, 's2'), limit)).toEqual({
        inserted: false,
        retryAt: SAMPLE_TIME + 60_000,
      });
      expect(await store.getRecoverySession('s2')).toBeUndefined();
      // The refused start did not supersede the open session: its codes still work.
      expect(await store.getRecoverySession('s1')).toMatchObject({ state: 'open', finishedAt: null });
      expect(await store.insertRecoverySession(at(60_000, 's3'), limit)).toEqual({ inserted: true });
      expect((await store.getRecoverySession('s1'))?.state).toBe('superseded');
    });

    it('allows maxStarts per window, counting sessions in every state, until the oldest leaves the window', async () => {
      const store = await harness.fresh();
      const limit: RecoveryStartLimit = { maxStarts: 3, windowMs: HOUR, minIntervalMs: 0 };
      expect(await store.insertRecoverySession(at(0, 'a'), limit)).toEqual({ inserted: true });
      expect(await store.finishRecoverySession('a', 'failed', SAMPLE_TIME + 5)).toBe(true);
      expect(await store.insertRecoverySession(at(10, 'b'), limit)).toEqual({ inserted: true });
      expect(await store.insertRecoverySession(at(20, 'c'), limit)).toEqual({ inserted: true });
      expect(await store.insertRecoverySession(at(30, 'd'), limit)).toEqual({
        inserted: false,
        retryAt: SAMPLE_TIME + HOUR,
      });
      expect(await store.insertRecoverySession(at(HOUR - 1, 'e'), limit)).toMatchObject({ inserted: false });
      expect(await store.insertRecoverySession(at(HOUR, 'f'), limit)).toEqual({ inserted: true });
      // Now b, c and f are in the window: the next start waits for b to leave it.
      expect(await store.insertRecoverySession(at(HOUR + 5, 'g'), limit)).toEqual({
        inserted: false,
        retryAt: SAMPLE_TIME + 10 + HOUR,
      });
      for (const refused of ['d', 'e', 'g']) expect(await store.getRecoverySession(refused)).toBeUndefined();
    });

    it('counts each user apart', async () => {
      const store = await harness.fresh();
      const limit: RecoveryStartLimit = { maxStarts: 1, windowMs: HOUR, minIntervalMs: 60_000 };
      expect(await store.insertRecoverySession(at(0, 'a', 'u1'), limit)).toEqual({ inserted: true });
      expect(await store.insertRecoverySession(at(1, 'b', 'u2'), limit)).toEqual({ inserted: true });
      expect(await store.insertRecoverySession(at(2, 'c', 'u1'), limit)).toMatchObject({ inserted: false });
    });

    it('gives the later of the two limits', async () => {
      const store = await harness.fresh();
      const limit: RecoveryStartLimit = { maxStarts: 2, windowMs: 600_000, minIntervalMs: 120_000 };
      await store.insertRecoverySession(at(0, 'a'), limit);
      await store.insertRecoverySession(at(500_000, 'b'), limit);
      // Interval: b + 120 000 = 620 000; window: a + 600 000. The later wins.
      expect(await store.insertRecoverySession(at(550_000, 'c'), limit)).toEqual({
        inserted: false,
        retryAt: SAMPLE_TIME + 620_000,
      });
    });

    it('lets exactly maxStarts of 10 racing starts in, leaving one open session', async () => {
      const store = await harness.fresh();
      const limit: RecoveryStartLimit = { maxStarts: 3, windowMs: HOUR, minIntervalMs: 0 };
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.insertRecoverySession(at(i, `s${i}`), limit)),
      );
      expect(outcomes.filter((outcome) => outcome.inserted)).toHaveLength(3);
      const sessions = await Promise.all(Array.from({ length: 10 }, (_, i) => store.getRecoverySession(`s${i}`)));
      const stored = sessions.filter((session) => session !== undefined);
      expect(stored).toHaveLength(3);
      expect(stored.filter((session) => session.state === 'open')).toHaveLength(1);
    });
  });
}
