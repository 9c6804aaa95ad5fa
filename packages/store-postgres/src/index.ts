/**
 * @module
 * @mfakit/store-postgres — the `RegistryStore` of @mfakit/registry on PostgreSQL (pg 8, a peer
 * dependency): state shared by many server instances.
 */
export type { PgPool, PgPoolClient, PgQueryable, PgQueryConfig, PgQueryResult } from './client.js';
export { POSTGRES_STORE_ERROR_CODES, type PostgresStoreError, type PostgresStoreErrorCode } from './errors.js';
export type { SchemaState } from './migrations.js';
export { PostgresRegistryStore, type PostgresStoreOptions } from './postgres-store.js';
export { LATEST_VERSION as POSTGRES_SCHEMA_VERSION } from './schema.js';
