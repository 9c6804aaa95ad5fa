/**
 * @module
 * The errors of `@mfakit/store-sqlite`: an `MfaError` with one of `SQLITE_STORE_ERROR_CODES`,
 * the driver's error as `cause`, and a message that says what to do. Messages name the file
 * path and the SQLite result code, never row contents (a row may hold a sealed secret).
 */
import { MfaError } from '@mfakit/core';
import { STORE_ERROR_CODES } from '@mfakit/registry/store';

/**
 * Every `MfaError` code the SQLite store throws (the registry's own codes pass through): the
 * codes every store shares (`STORE_ERROR_CODES` of @mfakit/registry, each documented there) and
 * `store_corrupt`, SQLite's own. The better-sqlite3 error, if any, is the `cause`.
 */
export const SQLITE_STORE_ERROR_CODES = [
  ...STORE_ERROR_CODES,
  /** The file is not a SQLite database, or is damaged (truncated, overwritten). */
  'store_corrupt',
] as const;

/** One of `SQLITE_STORE_ERROR_CODES`. */
export type SqliteStoreErrorCode = (typeof SQLITE_STORE_ERROR_CODES)[number];

/**
 * The `MfaError` of the SQLite store: `code` from `SQLITE_STORE_ERROR_CODES`, `cause` the driver's
 * error. Its message names the file and SQLite's result code and says what to do, never a row's
 * contents (a row may hold a sealed secret). The failed call committed nothing.
 */
export type SqliteStoreError = MfaError<SqliteStoreErrorCode>;

export function storeError(code: SqliteStoreErrorCode, message: string, cause?: unknown): SqliteStoreError {
  return new MfaError<SqliteStoreErrorCode>(code, message, cause === undefined ? undefined : { cause });
}

/** SQLite's primary result code of a driver error (`SQLITE_CORRUPT_VTAB` → `SQLITE_CORRUPT`). */
function primaryCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const second = code.indexOf('_', 'SQLITE_'.length);
  return second === -1 ? code : code.slice(0, second);
}

/** True for a unique or primary-key violation. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** True when SQLite gave up waiting for another connection's lock (after `busy_timeout`). */
export function isBusy(error: unknown): boolean {
  const code = primaryCode(error);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/**
 * Turns a driver error into the store's `MfaError` (an `MfaError` passes through unchanged, and
 * so does anything that is not a driver error: a bug in the caller's transaction work).
 */
export function wrapDriverError(error: unknown, what: string): unknown {
  if (error instanceof MfaError) return error;
  const code = primaryCode(error);
  if (code === undefined) {
    // better-sqlite3 throws a TypeError when the connection is closed.
    if (error instanceof TypeError && /database connection is not open/i.test(error.message)) {
      return storeError('store_unavailable', `${what}: the SQLite store is closed`, error);
    }
    return error;
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return storeError(
      'store_corrupt',
      `${what}: the database file is damaged or not a SQLite database (${code}); restore it from a backup`,
      error,
    );
  }
  if (code === 'SQLITE_CONSTRAINT' && isUniqueViolation(error)) {
    return storeError('duplicate_id', `${what}: the id exists already`, error);
  }
  return storeError('store_unavailable', `${what} failed (${code}); nothing was accepted`, error);
}
