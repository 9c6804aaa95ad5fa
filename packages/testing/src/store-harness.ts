/**
 * @module
 * What every conformance file gets: fresh stores, torn down after each test.
 */
import type { RegistryStore } from '@mfakit/registry';

export type StoreFactory = () => RegistryStore | Promise<RegistryStore>;

/** Gives each test a fresh store and tears it down afterwards. */
export interface StoreHarness {
  fresh(): Promise<RegistryStore>;
}
