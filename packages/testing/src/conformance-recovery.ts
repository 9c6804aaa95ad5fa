/**
 * @module
 * Conformance cases for lost-device recovery sessions: storage, the per-user start limit (checked
 * and inserted atomically), attempts, finishing, and completion with all its effects in one
 * transaction.
 */
import { type AuditDraft, type RecoveryStartLimit, type RegistryStore, verifyAuditChain } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';
import type { StoreHarness } from './conformance.js';
import { plain, SAMPLE_START_LIMIT, SAMPLE_TIME, sampleDevice, sampleSession } from './sample-records.js';

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

  describe('recovery completion', () => {
    const codeSet = (userId: string, fill: number) => ({
      userId,
      salt: new Uint8Array(16).fill(fill),
      createdAt: SAMPLE_TIME,
      codes: [0, 1].map((index) => ({ index, hash: new Uint8Array(32).fill(fill + index), usedAt: null })),
    });
    const draft = (event: string, deviceId: string | null = null): AuditDraft => ({
      at: SAMPLE_TIME + 100,
      event,
      actor: 'u1',
      userId: 'u1',
      deviceId,
      outcome: 'ok',
      detail: { via: 'recovery' },
    });
    const drafts = (ids: string[]) => [
      ...ids.map((id) => draft('device_deactivated', id)),
      draft('recovery_completed'),
    ];

    /** u1 (locked out, with codes, devices in every state) has an open session s1; u2 is a bystander. */
    async function seeded(): Promise<RegistryStore> {
      const store = await harness.fresh();
      await store.insertDevice(sampleDevice('u1', 'x', { state: 'deactivated', deactivatedAt: SAMPLE_TIME - 1 }), 8);
      await store.insertDevice(sampleDevice('u1', 'p', { createdAt: SAMPLE_TIME + 2 }), 8);
      await store.insertDevice(sampleDevice('u1', 'a', { state: 'active', createdAt: SAMPLE_TIME + 1 }), 8);
      await store.insertDevice(sampleDevice('u2', 'o', { state: 'active' }), 8);
      await store.recordFailure('u1', 'otp', SAMPLE_TIME, 2);
      await store.recordFailure('u1', 'otp', SAMPLE_TIME, 2);
      await store.recordFailure('u1', 'recovery_code', SAMPLE_TIME, 10);
      await store.recordFailure('u2', 'otp', SAMPLE_TIME, 10);
      await store.replaceRecoveryCodes(codeSet('u1', 1));
      await store.replaceRecoveryCodes(codeSet('u2', 50));
      await store.insertRecoverySession(sampleSession('s1', 'u1'), SAMPLE_START_LIMIT);
      await store.insertRecoverySession(sampleSession('s2', 'u2'), SAMPLE_START_LIMIT);
      await store.appendAudit(draft('recovery_started'));
      return store;
    }

    /** What completion changes, for before/after comparisons. */
    async function state(store: RegistryStore) {
      return plain({
        devices: await store.listDevices(),
        failures: await Promise.all(
          ['u1', 'u2'].flatMap((user) =>
            (['otp', 'recovery_code'] as const).map((scope) => store.getFailureState(user, scope)),
          ),
        ),
        codes: [await store.getRecoveryCodes('u1'), await store.getRecoveryCodes('u2')],
        sessions: [await store.getRecoverySession('s1'), await store.getRecoverySession('s2')],
        audit: await store.listAudit(),
      });
    }

    it("completes an open session with every effect: the user's devices, counters, codes and audit records", async () => {
      const store = await seeded();
      const seen: string[][] = [];
      const completion = await store.completeRecoverySession('s1', SAMPLE_TIME + 100, (ids) => {
        seen.push([...ids]);
        return drafts(ids);
      });
      expect(completion).toEqual({ completed: true, deactivatedDeviceIds: ['a', 'p'] });
      expect(seen).toEqual([['a', 'p']]);
      expect(await store.getDevice('a')).toMatchObject({ state: 'deactivated', deactivatedAt: SAMPLE_TIME + 100 });
      expect(await store.getDevice('p')).toMatchObject({ state: 'deactivated', deactivatedAt: SAMPLE_TIME + 100 });
      expect(await store.getDevice('x')).toMatchObject({ state: 'deactivated', deactivatedAt: SAMPLE_TIME - 1 });
      expect((await store.getDevice('o'))?.state).toBe('active');
      for (const scope of ['otp', 'recovery_code'] as const) {
        expect(await store.getFailureState('u1', scope)).toEqual({
          userId: 'u1',
          scope,
          failureCount: 0,
          lastFailureAt: null,
          lockedAt: null,
        });
      }
      expect((await store.getFailureState('u2', 'otp')).failureCount).toBe(1);
      expect(await store.getRecoveryCodes('u1')).toBeUndefined();
      expect(plain(await store.getRecoveryCodes('u2'))).toEqual(plain(codeSet('u2', 50)));
      expect(await store.getRecoverySession('s1')).toMatchObject({ state: 'completed', finishedAt: SAMPLE_TIME + 100 });
      expect((await store.getRecoverySession('s2'))?.state).toBe('open');
      const audit = await store.listAudit();
      expect(audit.map((record) => [record.seq, record.event, record.deviceId])).toEqual([
        [1, 'recovery_started', null],
        [2, 'device_deactivated', 'a'],
        [3, 'device_deactivated', 'p'],
        [4, 'recovery_completed', null],
      ]);
      expect(verifyAuditChain(audit).ok).toBe(true);
    });

    it('changes nothing for a session that is not open, or unknown', async () => {
      const store = await seeded();
      for (const [id, closed] of [
        ['c1', 'completed'],
        ['c2', 'failed'],
        ['c3', 'superseded'],
      ] as const) {
        await store.insertRecoverySession(
          sampleSession(id, 'u1', { state: closed, finishedAt: SAMPLE_TIME }),
          SAMPLE_START_LIMIT,
        );
      }
      const before = await state(store);
      let called = 0;
      for (const id of ['c1', 'c2', 'c3', 'missing']) {
        expect(
          await store.completeRecoverySession(id, SAMPLE_TIME + 100, (ids) => {
            called++;
            return drafts(ids);
          }),
        ).toEqual({ completed: false });
      }
      expect(called).toBe(0);
      expect(await state(store)).toEqual(before);
    });

    it('rolls everything back when the audit drafts cannot be built, and can complete afterwards', async () => {
      const store = await seeded();
      const before = await state(store);
      await expect(
        store.completeRecoverySession('s1', SAMPLE_TIME + 100, () => {
          throw new Error('no drafts');
        }),
      ).rejects.toThrow('no drafts');
      expect(await state(store)).toEqual(before);
      expect(await store.completeRecoverySession('s1', SAMPLE_TIME + 100, drafts)).toMatchObject({ completed: true });
    });

    it('completes exactly once when 5 completions race', async () => {
      const store = await seeded();
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, (_, i) => store.completeRecoverySession('s1', SAMPLE_TIME + 100 + i, drafts)),
      );
      expect(outcomes.filter((outcome) => outcome.completed)).toHaveLength(1);
      const audit = await store.listAudit();
      expect(audit.filter((record) => record.event === 'recovery_completed')).toHaveLength(1);
      expect(audit.filter((record) => record.event === 'device_deactivated')).toHaveLength(2);
      expect(verifyAuditChain(audit).ok).toBe(true);
    });
  });
}
