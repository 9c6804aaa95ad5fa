/**
 * @module
 * The part of `pg` the store uses, as structural interfaces (as kysely's dialects do): a
 * `pg.Pool` fits them, and so does any pool with the same shape (a wrapper that adds metrics, a
 * fake in tests). `pg` itself is a peer dependency, loaded only when `connect` is given a URL.
 */

export interface PgQueryConfig {
  /** A prepared statement's name: the server parses the text once per connection. */
  name?: string;
  text: string;
  values?: unknown[];
}

export interface PgQueryResult {
  rows: Record<string, unknown>[];
  rowCount: number | null;
}

export interface PgQueryable {
  query(config: PgQueryConfig): Promise<PgQueryResult>;
}

/** A connection checked out of the pool; `release(error)` destroys it instead of reusing it. */
export interface PgPoolClient extends PgQueryable {
  release(destroy?: boolean | Error): void;
}

export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
  on?(event: 'error', listener: (error: Error) => void): unknown;
}
