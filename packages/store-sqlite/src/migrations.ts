/**
 * @module
 * Versioned migrations for a SQLite registry database. `schema_migrations` lists the versions
 * applied; `PRAGMA application_id` marks the file as ours, so the database of another
 * application is refused before anything is written to it. A database migrated by a newer
 * version of this package is refused too (its tables may mean something this code does not
 * know). Migrations run in one `BEGIN IMMEDIATE` transaction: two processes opening a new file
 * together migrate it once (the second finds the work done after the first commits).
 */
import type { Database } from 'better-sqlite3';
import { storeError, wrapDriverError } from './errors.js';
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS } from './schema.js';

/**
 * A database's schema version, read without writing (`SqliteRegistryStore.schemaState`): `version`
 * below `latest` means migrations are due.
 */
export interface SchemaState {
  /** Highest migration applied; 0 for an empty database. */
  version: number;
  /** The newest version this code knows. */
  latest: number;
}

/**
 * Reads what the database is without writing to it. Throws `store_foreign` for another
 * application's database, `schema_too_new` for a newer mfakit's, `store_corrupt` for a damaged file.
 */
export function inspectSchema(db: Database, where: string): SchemaState {
  try {
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    if (applicationId !== APPLICATION_ID) {
      if (tables.length > 0 || applicationId !== 0) {
        throw storeError(
          'store_foreign',
          `${where} is not an mfakit registry database (it has other tables${applicationId === 0 ? '' : ' and another application id'}); ` +
            'nothing was changed. Give the store a file of its own.',
        );
      }
      return { version: 0, latest: LATEST_VERSION };
    }
    const version =
      tables.length === 0
        ? 0
        : ((db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0);
    if (version > LATEST_VERSION) {
      throw storeError(
        'schema_too_new',
        `${where} has schema version ${version}, newer than this @mfakit/store-sqlite knows (${LATEST_VERSION}); ` +
          'upgrade @mfakit/store-sqlite (nothing was changed)',
      );
    }
    return { version, latest: LATEST_VERSION };
  } catch (error) {
    throw wrapDriverError(error, `Opening ${where}`);
  }
}

/** Applies the missing migrations up to `to` (default: the latest); returns the versions applied. */
export function migrate(db: Database, where: string, at: number, to: number = LATEST_VERSION): number[] {
  const applied: number[] = [];
  try {
    db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const { version } = inspectSchema(db, where);
      if (version === 0) {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT`);
      }
      const insert = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
      for (const migration of MIGRATIONS) {
        if (migration.version <= version || migration.version > to) continue;
        db.exec(migration.sql);
        insert.run(migration.version, migration.name, at);
        applied.push(migration.version);
      }
      db.pragma(`user_version = ${Math.max(version, ...applied)}`);
    }).immediate();
  } catch (error) {
    throw wrapDriverError(error, `Migrating ${where}`);
  }
  return applied;
}
