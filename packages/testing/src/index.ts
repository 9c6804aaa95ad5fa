/**
 * @module
 * @mfakit/testing — MFA in unit tests without waiting: a fake clock, virtual authenticators
 * (phones that can run fast or slow) and hardware token seed files, enrollment and story
 * helpers, and the conformance suite every `RegistryStore` must pass.
 */

export {
  inspectMemoryStore,
  type MemoryStoreInspector,
  type MemoryStoreSnapshot,
} from '@mfakit/registry/testing';
export { VirtualSecurityKey, type VirtualSecurityKeyOptions, type VirtualSecurityKeyState } from '@mfakit/u2f';
export {
  runRegistryStoreConformance,
  type StoreConformanceOptions,
  type StoreFactory,
  type StoreHarness,
} from './conformance.js';
export { FailingStore, type FailureTiming, InjectedStoreFailure } from './failing-store.js';
export { DEFAULT_FAKE_TIME, FakeClock } from './fake-clock.js';
export {
  plain,
  SAMPLE_ACCOUNT_ID,
  SAMPLE_START_LIMIT,
  SAMPLE_TIME,
  sampleAccount,
  sampleDevice,
  sampleSecurityKey,
  sampleSession,
  sampleToken,
  sampleUser,
} from './sample-records.js';
export { runSecretsAtRestStory, secretEncodings } from './secrets-at-rest.js';
export { type EnrolledDevice, type SimulateEnrollmentOptions, simulateEnrollment } from './simulate-enrollment.js';
export { runStoreProcessRaces, type StoreProcessHarness } from './store-process-races.js';
export { runStoreRaceWorker, type StoreRaceJob, storeProcesses } from './store-processes.js';
export {
  createMfaWorld,
  defaultAccount,
  enrollHardwareToken,
  enrollPhone,
  enrollSecurityKey,
  type MfaWorld,
  type MfaWorldOptions,
  recoverLostDevice,
  signIn,
  signInWithSecurityKey,
  signUp,
  WORLD_RELYING_PARTY,
} from './stories.js';
export { type SeedToken, TokenSeedFile, type TokenSeedFileOptions } from './token-seed-file.js';
export { VirtualAuthenticator, type VirtualAuthenticatorOptions } from './virtual-authenticator.js';
