/**
 * @module
 * Conformance cases for the audit log: sealing, one chain under concurrency, listing, exact
 * round trips of details.
 */
import { verifyAuditChain } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';
import type { StoreHarness } from './store-harness.js';

export function registerAuditTests(harness: StoreHarness): void {
  describe('audit log', () => {
    const draft = (n: number) => ({
      at: 1_700_000_000_000 + n,
      event: 'test_event',
      actor: 'system',
      accountId: n % 2 === 0 ? 'acct-even' : null,
      userId: n % 2 === 0 ? `u${n}` : null,
      deviceId: null,
      outcome: 'ok' as const,
      detail: { n, label: `event ${n}`, flag: n % 3 === 0, nothing: null },
    });

    it('appends sealed records numbered 1, 2, 3 that form a verifying chain', async () => {
      const store = await harness.fresh();
      const first = await store.audit.append(draft(1));
      const second = await store.audit.append(draft(2));
      expect(first.seq).toBe(1);
      expect(second.seq).toBe(2);
      expect(second.prevHash).toBe(first.hash);
      const records = await store.audit.list();
      expect(records).toEqual([first, second]);
      expect(verifyAuditChain(records)).toEqual({ ok: true, count: 2, head: second.hash });
    });

    it('keeps one chain under 30 concurrent appends', async () => {
      const store = await harness.fresh();
      const sealed = await Promise.all(Array.from({ length: 30 }, (_, n) => store.audit.append(draft(n))));
      expect(sealed.map((record) => record.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 30 }, (_, n) => n + 1),
      );
      const records = await store.audit.list();
      expect(records).toHaveLength(30);
      expect(verifyAuditChain(records).ok).toBe(true);
    });

    it('lists after a sequence number and up to a limit, in order', async () => {
      const store = await harness.fresh();
      for (let n = 1; n <= 5; n++) await store.audit.append(draft(n));
      expect((await store.audit.list({ afterSeq: 2 })).map((record) => record.seq)).toEqual([3, 4, 5]);
      expect((await store.audit.list({ afterSeq: 1, limit: 2 })).map((record) => record.seq)).toEqual([2, 3]);
      expect(await store.audit.list({ afterSeq: 5 })).toEqual([]);
      expect((await store.audit.list({ accountId: 'acct-even' })).map((record) => record.seq)).toEqual([2, 4]);
      expect((await store.audit.list({ accountId: 'acct-even', afterSeq: 2 })).map((record) => record.seq)).toEqual([
        4,
      ]);
      expect((await store.audit.list({ accountId: 'acct-even', limit: 1 })).map((record) => record.seq)).toEqual([2]);
      expect(await store.audit.list({ accountId: 'acct-none' })).toEqual([]);
    });

    it('round-trips details exactly (the hash must still verify after reading back)', async () => {
      const store = await harness.fresh();
      await store.audit.append({
        ...draft(4),
        detail: { text: 'ünïcødé "quoted"', negative: -3, zero: 0, big: 2 ** 40 },
      });
      const [record] = await store.audit.list();
      expect(record?.detail).toEqual({ text: 'ünïcødé "quoted"', negative: -3, zero: 0, big: 2 ** 40 });
      expect(verifyAuditChain(await store.audit.list()).ok).toBe(true);
    });

    it('returns copies: editing a returned record does not edit the log', async () => {
      const store = await harness.fresh();
      const record = await store.audit.append(draft(1));
      record.event = 'edited';
      const [listed] = await store.audit.list();
      if (listed === undefined) throw new Error('no record');
      listed.detail.n = 99;
      expect((await store.audit.list())[0]?.event).toBe('test_event');
      expect((await store.audit.list())[0]?.detail.n).toBe(1);
    });
  });
}
