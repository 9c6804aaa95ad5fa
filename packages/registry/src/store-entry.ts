/**
 * @module
 * `@mfakit/registry/store` — for authors of a `RegistryStore` (SQLite, PostgreSQL, …): the role
 * interfaces and their contract (store.ts), the records, the one helper a store calls
 * (`sealAuditRecord`, inside its audit append), and the list of methods the registry checks.
 * Prove a store with `runRegistryStoreConformance` from @mfakit/testing.
 */
export { type AuditTip, auditHashParts, GENESIS_HASH, sealAuditRecord } from './audit-chain.js';
export { canonicalJson } from './canonical-json.js';
export { registryError, STORE_ERROR_CODES, type StoreErrorCode } from './errors.js';
export * from './model.js';
export * as sqlRows from './sql-rows.js';
export {
  type AccountStore,
  type AttemptStore,
  type AuditLogStore,
  type ChallengeStore,
  type DeviceStore,
  type HardwareTokenStore,
  type ImportTokensOutcome,
  type ListAuditOptions,
  type RecoveryCodeStore,
  type RecoverySessionStore,
  type RegistryStore,
  type RegistryTables,
  type ReservationFromZero,
  STORE_METHODS,
  type StoreTransaction,
  type UserStore,
  type UserWithDevices,
} from './store.js';
export { TransactionGate } from './transaction-gate.js';
