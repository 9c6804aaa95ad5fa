/**
 * @module
 * The part of `pg` the store uses, as structural interfaces (as kysely's dialects do): a
 * `pg.Pool` fits them, and so does any pool with the same shape (a wrapper that adds metrics, a
 * fake in tests). `pg` itself is a peer dependency, loaded only when `connect` is given a URL.
 */

/**
 * One query as `pg` takes it: SQL `text` with `$1`, `$2`… placeholders, their `values` sent apart
 * from the text (never interpolated into it), and an optional prepared-statement `name`.
 */
export interface PgQueryConfig {
  /** A prepared statement's name: the server parses the text once per connection. */
  name?: string;
  /** The SQL, with `$1`, `$2`… placeholders. */
  text: string;
  /** The placeholder values, in order. */
  values?: unknown[];
}

/**
 * What a query returned, as `pg` gives it: `rows` keyed by column name, and `rowCount`, the rows
 * the statement changed or returned (`null` for a statement without a count). The store's
 * compare-and-sets read `rowCount` to learn whether they won.
 */
export interface PgQueryResult {
  rows: Record<string, unknown>[];
  rowCount: number | null;
}

/**
 * Anything that runs one query: the pool (an autocommit statement on any free connection) or a
 * checked-out connection (inside its transaction).
 */
export interface PgQueryable {
  /**
   * Runs one statement; rejects with the driver's error (SQLSTATE or network code in `code`) when
   * it fails.
   */
  query(config: PgQueryConfig): Promise<PgQueryResult>;
}

/** A connection checked out of the pool; `release(error)` destroys it instead of reusing it. */
export interface PgPoolClient extends PgQueryable {
  /**
   * Gives the connection back to the pool, or with `true` or an `Error` closes it instead: the
   * store does that when a ROLLBACK failed and the connection's state is unknown.
   */
  release(destroy?: boolean | Error): void;
}

/**
 * The part of a `pg.Pool` the store uses: a `pg.Pool` fits, and so does a wrapper of the same
 * shape. With a pool of your own its settings are yours: give it a `statement_timeout` and an
 * `idle_in_transaction_session_timeout`, as the store does for a pool it makes from a URL
 * (5 000 ms and 60 s), or a stuck statement or caller can hold a user's lock indefinitely.
 */
export interface PgPool extends PgQueryable {
  /** Checks out one connection (for a transaction), waiting for a free one. */
  connect(): Promise<PgPoolClient>;
  /** Closes every connection. The store calls it in `close()` only for a pool it made from a URL. */
  end(): Promise<void>;
  /**
   * The store listens for `error`, so that an idle connection the server drops (restart, failover)
   * does not end the process.
   */
  on?(event: 'error', listener: (error: Error) => void): unknown;
}
