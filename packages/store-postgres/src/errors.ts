/**
 * @module
 * The errors of `@mfakit/store-postgres`: an `MfaError` with one of
 * `POSTGRES_STORE_ERROR_CODES`, the driver's error as `cause`, and a message that says what to
 * check. Messages carry the SQLSTATE or network error code, never row contents or the password.
 */
import { MfaError } from '@mfakit/core';
import { STORE_ERROR_CODES } from '@mfakit/registry/store';

/**
 * Every `MfaError` code the PostgreSQL store throws (the registry's own codes pass through): the
 * codes every store shares (`STORE_ERROR_CODES` of @mfakit/registry, each documented there) and
 * `store_auth_failed`, PostgreSQL's own. The `pg` error, if any, is the `cause`.
 */
export const POSTGRES_STORE_ERROR_CODES = [
  ...STORE_ERROR_CODES,
  /** The server refused the credentials, or the database does not exist. */
  'store_auth_failed',
] as const;

/** One of `POSTGRES_STORE_ERROR_CODES`. */
export type PostgresStoreErrorCode = (typeof POSTGRES_STORE_ERROR_CODES)[number];
/**
 * The `MfaError` of the PostgreSQL store: `code` from `POSTGRES_STORE_ERROR_CODES`, `cause` the
 * driver's error. Its message carries the SQLSTATE or network error code and says what to check,
 * never row contents or the password. The failed call committed nothing.
 */
export type PostgresStoreError = MfaError<PostgresStoreErrorCode>;

export function storeError(code: PostgresStoreErrorCode, message: string, cause?: unknown): PostgresStoreError {
  return new MfaError<PostgresStoreErrorCode>(code, message, cause === undefined ? undefined : { cause });
}

/** The SQLSTATE (`23505`) or Node network code (`ECONNREFUSED`) of a driver error. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export const isUniqueViolation = (error: unknown) => errorCode(error) === '23505';

/** Serialisation failure or deadlock: the transaction may simply be run again. */
export function isRetryable(error: unknown): boolean {
  const code = errorCode(error instanceof MfaError ? error.cause : error);
  return code === '40001' || code === '40P01';
}

const AUTH_CODES = new Set(['28P01', '28000', '3D000']);

/** Turns a driver error into the store's `MfaError`; anything else (a bug in transaction work) passes through. */
export function wrapDriverError(error: unknown, what: string): unknown {
  if (error instanceof MfaError) return error;
  if (!(error instanceof Error)) return error;
  const code = errorCode(error);
  if (code !== undefined && AUTH_CODES.has(code)) {
    return storeError(
      'store_auth_failed',
      `${what}: PostgreSQL refused the connection (${code}); check the user, password and database name`,
      error,
    );
  }
  if (code === '23505') return storeError('duplicate_id', `${what}: the id exists already`, error);
  // pg's own errors (connection terminated, timeouts) have no code; they are all unavailability.
  const pgError = code !== undefined || /connect|terminat|timeout|closed|ended|ECONN|socket/i.test(error.message);
  if (!pgError) return error;
  return storeError(
    'store_unavailable',
    `${what} failed (${code ?? 'connection'}): PostgreSQL is unreachable or failed the call; nothing was accepted`,
    error,
  );
}
