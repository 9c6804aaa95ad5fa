/**
 * @module
 * `runRegistryStoreConformance(makeStore)`: the vitest suite every `RegistryStore` must pass —
 * each method's contract, the compare-and-set and increment operations under concurrency,
 * transactions (commit, rollback, per-user serialisation), and whole-registry attacks (20
 * simultaneous sign-ins with one code: exactly one accepted; a burst of 2 000 guesses: no more
 * checked than the throttle allows, in whatever order the store takes them, with or without the
 * right code among them; security-key counters verified out of order: no clone flag for one
 * genuine key, a flag for a clone). Call it at the top level of a test file; `makeStore` gives a
 * fresh, empty store per test.
 */
import type { RegistryStore } from '@mfakit/registry';
import { afterEach, describe } from 'vitest';
import { registerAuditTests } from './conformance-audit.js';
import { registerChallengeTests } from './conformance-challenges.js';
import { registerDeviceAndTokenTests } from './conformance-devices.js';
import { registerKeyCounterTests } from './conformance-key-counters.js';
import { registerRegistryRaceTests } from './conformance-races.js';
import { registerRecordTests } from './conformance-records.js';
import { registerRecoverySessionTests } from './conformance-recovery.js';
import { registerTransactionTests } from './conformance-transactions.js';
import type { StoreFactory, StoreHarness } from './store-harness.js';

export type { StoreFactory, StoreHarness } from './store-harness.js';

/** Options of {@link runRegistryStoreConformance}. */
export interface StoreConformanceOptions {
  /** Suite title. Default `RegistryStore conformance`. */
  name?: string;
  /** Called after each test with the store it used (close connections, drop schemas). */
  teardown?: (store: RegistryStore) => void | Promise<void>;
}

/**
 * Registers the `RegistryStore` conformance suite with vitest (a `describe` block of record,
 * device, token, challenge, audit, transaction and race tests). Call it at the top level of a
 * test file, not inside a test. `makeStore` is called for every store a test asks for and must
 * return a fresh, empty store (a new in-memory database, a new schema); `options.teardown` then
 * gets every store a test opened. Throws `TypeError` when `makeStore` is not a function.
 *
 * @example
 * ```ts
 * runRegistryStoreConformance(() => SqliteRegistryStore.open(':memory:'), {
 *   teardown: (store) => store.close?.(),
 * });
 * ```
 */
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

    registerChallengeTests(harness);
    registerAuditTests(harness);
    registerTransactionTests(harness);
    registerRegistryRaceTests(harness);
    registerKeyCounterTests(harness);
  });
}
