/**
 * @module
 * `@mfakit/registry/testing` — test-only views of a `MemoryRegistryStore` (snapshot, dump,
 * audit tampering), re-exported by @mfakit/testing, and internals that timing tests measure
 * (the recovery-code match). Production code has no use for them.
 */

export { inspectMemoryStore, type MemoryStoreInspector, type MemoryStoreSnapshot } from './memory-store-inspector.js';
export { matchRecoveryCode, type RecoveryCodeMatch } from './recovery-codes.js';
