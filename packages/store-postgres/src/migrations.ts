/**
 * @module
 * Versioned migrations for a PostgreSQL registry schema. `schema_migrations` lists the versions
 * applied and carries a comment that marks the schema as ours, so a schema holding another
 * application's tables is refused before anything is created in it. A schema migrated by a
 * newer version of this package is refused too. Migrations run in one transaction under an
 * advisory lock on the schema's name: instances starting together migrate once (the others
 * wait, then find the work done), and DDL is transactional, so a failed step leaves nothing.
 */
import type { PgPool, PgQueryable } from './client.js';
import { storeError, wrapDriverError } from './errors.js';
import { LATEST_VERSION, MIGRATIONS, MIGRATIONS_MARKER } from './schema.js';
import { quoteIdentifier } from './statements.js';

/**
 * A schema's version, read without writing (`PostgresRegistryStore.schemaState`): `version` below
 * `latest` means migrations are due.
 */
export interface SchemaState {
  /** Highest migration applied; 0 for an empty or missing schema. */
  version: number;
  /** The newest version this code knows. */
  latest: number;
}

/** Reads what the schema holds, without writing. */
export async function inspectSchema(db: PgQueryable, schema: string): Promise<SchemaState> {
  const quoted = quoteIdentifier(schema);
  const { rows } = await db.query({
    text: `SELECT
      (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')) AS relations,
      obj_description(to_regclass($2), 'pg_class') AS marker`,
    values: [schema, `${quoted}.schema_migrations`],
  });
  const relations = Number(rows[0]?.relations ?? 0);
  const marker = rows[0]?.marker ?? null;
  if (relations === 0) return { version: 0, latest: LATEST_VERSION };
  if (marker !== MIGRATIONS_MARKER) {
    throw storeError(
      'store_foreign',
      `Schema ${quoted} holds tables that are not an mfakit registry's; nothing was changed. ` +
        'Give the store a database or schema of its own (option `schema`).',
    );
  }
  const result = await db.query({ text: `SELECT max(version) AS version FROM ${quoted}.schema_migrations` });
  const version = Number(result.rows[0]?.version ?? 0);
  if (version > LATEST_VERSION) {
    throw storeError(
      'schema_too_new',
      `Schema ${quoted} has version ${version}, newer than this @mfakit/store-postgres knows (${LATEST_VERSION}); ` +
        'upgrade @mfakit/store-postgres (nothing was changed)',
    );
  }
  return { version, latest: LATEST_VERSION };
}

/** Applies the missing migrations up to `to` (default: the latest); returns the versions applied. */
export async function migrate(
  pool: PgPool,
  schema: string,
  at: number,
  to: number = LATEST_VERSION,
): Promise<number[]> {
  const quoted = quoteIdentifier(schema);
  let client: Awaited<ReturnType<PgPool['connect']>>;
  try {
    client = await pool.connect();
  } catch (error) {
    throw wrapDriverError(error, 'Migrating');
  }
  const applied: number[] = [];
  try {
    await client.query({ text: 'BEGIN' });
    // One migrator per schema at a time, across every instance (released at COMMIT/ROLLBACK).
    await client.query({ text: 'SELECT pg_advisory_xact_lock(hashtext($1))', values: [`mfakit-registry:${schema}`] });
    const { version } = await inspectSchema(client, schema);
    if (version === 0) {
      await client.query({ text: `CREATE SCHEMA IF NOT EXISTS ${quoted}` });
      await client.query({
        text: `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
          version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`,
      });
      await client.query({ text: `COMMENT ON TABLE ${quoted}.schema_migrations IS '${MIGRATIONS_MARKER}'` });
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= version || migration.version > to) continue;
      await client.query({ text: migration.sql.replaceAll('$S', () => quoted) });
      await client.query({
        text: `INSERT INTO ${quoted}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
        values: [migration.version, migration.name, at],
      });
      applied.push(migration.version);
    }
    await client.query({ text: 'COMMIT' });
    client.release();
    return applied;
  } catch (error) {
    try {
      await client.query({ text: 'ROLLBACK' });
      client.release();
    } catch {
      client.release(true);
    }
    throw wrapDriverError(error, 'Migrating');
  }
}
