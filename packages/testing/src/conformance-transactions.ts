/**
 * @module
 * Conformance cases for `transaction`: everything commits together, a throw rolls everything
 * back (audit records included) and propagates, transactions that lock the same user run one
 * after another, and a finished transaction cannot be used.
 */
import { type RegistryStore, verifyAuditChain } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';
import { plain, SAMPLE_TIME, sampleDevice, sampleSession, sampleUser } from './sample-records.js';
import type { StoreHarness } from './store-harness.js';

async function contents(store: RegistryStore) {
  return plain({
    users: await store.users.list(),
    devices: await store.devices.list(),
    attempts: await store.attempts.get('u1', 'otp'),
    codes: await store.recoveryCodes.get('u1'),
    session: await store.recoverySessions.get('s1'),
    audit: await store.audit.list(),
  });
}

const auditDraft = (event: string) => ({
  at: SAMPLE_TIME,
  event,
  actor: 'u1',
  accountId: 'acct-1',
  userId: 'u1',
  deviceId: null,
  outcome: 'ok' as const,
  detail: {},
});

export function registerTransactionTests(harness: StoreHarness): void {
  describe('transactions', () => {
    async function seeded(): Promise<RegistryStore> {
      const store = await harness.fresh();
      await store.users.insert(sampleUser('u1'));
      await store.devices.insert(sampleDevice('u1', 'd1', { state: 'active' }));
      await store.recoverySessions.insert(sampleSession('s1', 'u1'));
      await store.audit.append(auditDraft('before'));
      return store;
    }

    it('commits every change and returns the result of the work', async () => {
      const store = await seeded();
      const result = await store.transaction(async (tx) => {
        expect(await tx.lockUser('u1')).toBe(true);
        await tx.devices.insert(sampleDevice('u1', 'd2'));
        expect(await tx.devices.deactivate('d1', SAMPLE_TIME + 1)).toBe(true);
        expect(
          await tx.attempts.compareAndSet(
            { userId: 'u1', scope: 'otp', failureCount: 0, lastFailureAt: null, lockedAt: null },
            { failureCount: 1, lastFailureAt: SAMPLE_TIME, lockedAt: null },
          ),
        ).toBe(true);
        expect(await tx.recoverySessions.finish('s1', 'completed', SAMPLE_TIME + 1)).toBe(true);
        await tx.audit.append(auditDraft('inside'));
        return 'done';
      });
      expect(result).toBe('done');
      expect((await store.devices.list()).map((device) => [device.id, device.state])).toEqual([
        ['d1', 'deactivated'],
        ['d2', 'pending'],
      ]);
      expect((await store.attempts.get('u1', 'otp')).failureCount).toBe(1);
      expect((await store.recoverySessions.get('s1'))?.state).toBe('completed');
      const audit = await store.audit.list();
      expect(audit.map((record) => record.event)).toEqual(['before', 'inside']);
      expect(verifyAuditChain(audit).ok).toBe(true);
    });

    it('rolls every change back when the work throws, and rethrows the same error', async () => {
      const store = await seeded();
      const before = await contents(store);
      const failure = new Error('work failed');
      await expect(
        store.transaction(async (tx) => {
          await tx.users.insert(sampleUser('u2'));
          await tx.devices.insert(sampleDevice('u1', 'd2'));
          await tx.devices.deactivate('d1', SAMPLE_TIME + 1);
          await tx.devices.advanceLastAcceptedStep('d1', 50, { at: 1, driftSteps: 0 });
          await tx.attempts.compareAndSet(
            { userId: 'u1', scope: 'otp', failureCount: 0, lastFailureAt: null, lockedAt: null },
            { failureCount: 1, lastFailureAt: SAMPLE_TIME, lockedAt: null },
          );
          await tx.recoveryCodes.replace({ userId: 'u1', salt: new Uint8Array(16), createdAt: 1, codes: [] });
          await tx.recoverySessions.incrementAttempts('s1');
          await tx.recoverySessions.finish('s1', 'completed', SAMPLE_TIME + 1);
          await tx.audit.append(auditDraft('inside'));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await contents(store)).toEqual(before);
      // The log goes on from the same tip.
      await store.audit.append(auditDraft('after'));
      expect(verifyAuditChain(await store.audit.list()).ok).toBe(true);
    });

    it('rolls back a device insert that failed on a duplicate id, with the rest', async () => {
      const store = await seeded();
      const before = await contents(store);
      await expect(
        store.transaction(async (tx) => {
          await tx.devices.deactivate('d1', SAMPLE_TIME + 1);
          await tx.devices.insert(sampleDevice('u1', 'd1'));
        }),
      ).rejects.toThrow();
      expect(await contents(store)).toEqual(before);
    });

    it('says whether the user to lock exists', async () => {
      const store = await seeded();
      expect(await store.transaction((tx) => tx.lockUser('u1'))).toBe(true);
      expect(await store.transaction((tx) => tx.lockUser('nobody'))).toBe(false);
    });

    it('runs transactions that lock the same user one after another (no lost update)', async () => {
      const store = await seeded();
      // Each transaction reads the device count and inserts one more only below 5: a read-then-write
      // that is only right if the transactions do not interleave.
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.transaction(async (tx) => {
            await tx.lockUser('u1');
            const count = (await tx.devices.list({ userId: 'u1' })).length;
            if (count >= 5) return false;
            await tx.devices.insert(sampleDevice('u1', `n${i}`, { createdAt: SAMPLE_TIME + i }));
            return true;
          }),
        ),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(4);
      expect(await store.devices.list({ userId: 'u1' })).toHaveLength(5);
    });

    it('refuses calls through a transaction that has ended', async () => {
      const store = await seeded();
      let kept: Parameters<Parameters<RegistryStore['transaction']>[0]>[0] | undefined;
      await store.transaction(async (tx) => {
        kept = tx;
      });
      await expect((kept as NonNullable<typeof kept>).devices.get('d1')).rejects.toThrow();
    });
  });
}
