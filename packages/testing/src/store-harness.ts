/**
 * @module
 * What every conformance file gets: fresh stores, torn down after each test.
 */
import type { RegistryStore } from '@mfakit/registry';

/** Makes a fresh, empty `RegistryStore` (sync or async); called once per conformance test. */
export type StoreFactory = () => RegistryStore | Promise<RegistryStore>;

/** Gives each test a fresh store and tears it down afterwards. */
export interface StoreHarness {
  /** A new store from the factory, remembered so the suite's `teardown` gets it after the test. */
  fresh(): Promise<RegistryStore>;
}
