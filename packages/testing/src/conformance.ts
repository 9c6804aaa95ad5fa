/**
 * @module
 * `runRegistryStoreConformance(makeStore)`: the vitest suite every `RegistryStore` must pass —
 * each method's contract, the compare-and-set and increment operations under concurrency, and
 * whole-registry races (20 simultaneous sign-ins with one code: exactly one accepted). Call it
 * at the top level of a test file; `makeStore` gives a fresh, empty store per test.
 */
import { type RegistryStore, verifyAuditChain } from '@mfakit/registry';
import { afterEach, describe, expect, it } from 'vitest';
import { registerDeviceAndTokenTests } from './conformance-devices.js';
import { registerRegistryRaceTests } from './conformance-races.js';
import { registerRecordTests } from './conformance-records.js';
import { registerRecoverySessionTests } from './conformance-recovery.js';

export interface StoreConformanceOptions {
  /** Suite title. Default `RegistryStore conformance`. */
  name?: string;
  /** Called after each test with the store it used (close connections, drop schemas). */
  teardown?: (store: RegistryStore) => void | Promise<void>;
}

export type StoreFactory = () => RegistryStore | Promise<RegistryStore>;

/** Gives each test a fresh store and tears it down afterwards. */
export interface StoreHarness {
  fresh(): Promise<RegistryStore>;
}

export function runRegistryStoreConformance(makeStore: StoreFactory, options: StoreConformanceOptions = {}): void {
  if (typeof makeStore !== 'function') throw new TypeError('makeStore must be a function returning a RegistryStore');
  describe(options.name ?? 'RegistryStore conformance', () => {
    const opened: RegistryStore[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await options.teardown?.(store);
    });
    const harness: StoreHarness = {
      async fresh() {
        const store = await makeStore();
        opened.push(store);
        return store;
      },
    };

    registerRecordTests(harness);
    registerRecoverySessionTests(harness);
    registerDeviceAndTokenTests(harness);

    describe('audit log', () => {
      const draft = (n: number) => ({
        at: 1_700_000_000_000 + n,
        event: 'test_event',
        actor: 'system',
        userId: n % 2 === 0 ? `u${n}` : null,
        deviceId: null,
        outcome: 'ok' as const,
        detail: { n, label: `event ${n}`, flag: n % 3 === 0, nothing: null },
      });

      it('appends sealed records numbered 1, 2, 3 that form a verifying chain', async () => {
        const store = await harness.fresh();
        const first = await store.appendAudit(draft(1));
        const second = await store.appendAudit(draft(2));
        expect(first.seq).toBe(1);
        expect(second.seq).toBe(2);
        expect(second.prevHash).toBe(first.hash);
        const records = await store.listAudit();
        expect(records).toEqual([first, second]);
        expect(verifyAuditChain(records)).toEqual({ ok: true, count: 2, head: second.hash });
      });

      it('keeps one chain under 30 concurrent appends', async () => {
        const store = await harness.fresh();
        const sealed = await Promise.all(Array.from({ length: 30 }, (_, n) => store.appendAudit(draft(n))));
        expect(sealed.map((record) => record.seq).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 30 }, (_, n) => n + 1),
        );
        const records = await store.listAudit();
        expect(records).toHaveLength(30);
        expect(verifyAuditChain(records).ok).toBe(true);
      });

      it('lists after a sequence number and up to a limit, in order', async () => {
        const store = await harness.fresh();
        for (let n = 1; n <= 5; n++) await store.appendAudit(draft(n));
        expect((await store.listAudit({ afterSeq: 2 })).map((record) => record.seq)).toEqual([3, 4, 5]);
        expect((await store.listAudit({ afterSeq: 1, limit: 2 })).map((record) => record.seq)).toEqual([2, 3]);
        expect(await store.listAudit({ afterSeq: 5 })).toEqual([]);
      });

      it('round-trips details exactly (the hash must still verify after reading back)', async () => {
        const store = await harness.fresh();
        await store.appendAudit({
          ...draft(4),
          detail: { text: 'ünïcødé "quoted"', negative: -3, zero: 0, big: 2 ** 40 },
        });
        const [record] = await store.listAudit();
        expect(record?.detail).toEqual({ text: 'ünïcødé "quoted"', negative: -3, zero: 0, big: 2 ** 40 });
        expect(verifyAuditChain(await store.listAudit()).ok).toBe(true);
      });

      it('returns copies: editing a returned record does not edit the log', async () => {
        const store = await harness.fresh();
        const record = await store.appendAudit(draft(1));
        record.event = 'edited';
        const [listed] = await store.listAudit();
        if (listed === undefined) throw new Error('no record');
        listed.detail.n = 99;
        expect((await store.listAudit())[0]?.event).toBe('test_event');
        expect((await store.listAudit())[0]?.detail.n).toBe(1);
      });
    });

    registerRegistryRaceTests(harness);
  });
}
