/**
 * @module
 * What every conformance file gets: fresh stores, torn down after each test.
 */
import type { RegistryStore } from '@mfakit/registry';

/** Makes a fresh, empty `RegistryStore` (sync or async); called for every store a conformance test asks for. */
export type StoreFactory = () => RegistryStore | Promise<RegistryStore>;

/** Gives each test a fresh store and tears it down afterwards. */
export interface StoreHarness {
  /** A new store from the factory, remembered so the suite's `teardown` gets it after the test. */
  fresh(): Promise<RegistryStore>;
}
