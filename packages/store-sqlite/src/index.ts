/**
 * @module
 * @mfakit/store-sqlite — the `RegistryStore` of @mfakit/registry on SQLite (better-sqlite3):
 * the embedded default for one machine, several processes may share the file.
 */
export { SQLITE_STORE_ERROR_CODES, type SqliteStoreError, type SqliteStoreErrorCode } from './errors.js';
export type { SchemaState } from './migrations.js';
export { LATEST_VERSION as SQLITE_SCHEMA_VERSION } from './schema.js';
export { SqliteRegistryStore, type SqliteStoreOptions } from './sqlite-store.js';
