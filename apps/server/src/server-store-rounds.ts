/**
 * @module
 * The PostgreSQL server store's two most frequent statements, in rounds: rate-limit hits
 * (`RateLimitRounds`) and session lookups (`LookupRounds`, below).
 *
 * Rate-limit hits, summed and written in rounds. Every request to a limited route
 * counts in the database, and the hits of one client IP all land on one row (`rate_limits`, one
 * row per key and window): one upsert per hit makes that row's lock the instance's queue. Here
 * the hits an instance takes while a round is in flight (and in the event loop's turn before
 * it) are summed per key and window and written by the next round, one statement:
 * `count = count + n` per row, `RETURNING` the new totals. Each hit gets the count it would have
 * got one after the other — the round's total minus the hits after it — so a limit still refuses
 * exactly the hits past it. A round that fails fails its hits (the route answers 500: nothing was
 * counted, nothing let through).
 */

interface Pending {
  key: string;
  windowStart: number;
  settle: { resolve: (count: number) => void; reject: (error: unknown) => void }[];
}

/** Writes one round: `keys[i]` in window `starts[i]` gets `hits[i]` more; answers each row's new total, in order. */
export type WriteHits = (keys: string[], starts: number[], hits: number[]) => Promise<number[]>;

/** Keys per round at most (each three array elements in one statement). */
const MAX_ROUND = 500;

export class RateLimitRounds {
  readonly #write: WriteHits;
  #pending = new Map<string, Pending>();
  #inFlight = false;
  #scheduled = false;

  constructor(write: WriteHits) {
    this.#write = write;
  }

  /** Counts one hit on `key` in the window starting at `windowStart`; resolves with its count. */
  hit(key: string, windowStart: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const id = `${windowStart}\u0000${key}`;
      let pending = this.#pending.get(id);
      if (pending === undefined) {
        pending = { key, windowStart, settle: [] };
        this.#pending.set(id, pending);
      }
      pending.settle.push({ resolve, reject });
      this.#schedule();
    });
  }

  /** The next round starts once this turn of the event loop is done and no round is in flight. */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#round();
    });
  }

  async #round(): Promise<void> {
    if (this.#inFlight || this.#pending.size === 0) return;
    this.#inFlight = true;
    // Key order: two instances' rounds over the same rows lock them in one order (no deadlock).
    const round = [...this.#pending.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_ROUND);
    for (const [id] of round) this.#pending.delete(id);
    const rows = round.map(([, pending]) => pending);
    try {
      const totals = await this.#write(
        rows.map((row) => row.key),
        rows.map((row) => row.windowStart),
        rows.map((row) => row.settle.length),
      );
      for (const [i, row] of rows.entries()) {
        const total = totals[i] as number;
        const first = total - row.settle.length;
        for (const [j, { resolve }] of row.settle.entries()) resolve(first + j + 1);
      }
    } catch (error) {
      for (const row of rows) for (const { reject } of row.settle) reject(error);
    } finally {
      this.#inFlight = false;
      if (this.#pending.size > 0) this.#schedule();
    }
  }
}

/** Reads one round: the rows found for `keys` (any order; a key without a row is left out). */
export type ReadRows<Row> = (keys: string[]) => Promise<{ key: string; row: Row }[]>;

/**
 * Lookups by key (sessions by their id's hash), in rounds as the hits above: the lookups taken
 * while a round is in flight share the next one, one `WHERE key = ANY($1)` statement. Every
 * request of a signed-in user reads its session, so on a busy instance this was the most frequent
 * statement. A lookup sees what was committed before its round started.
 */
export class LookupRounds<Row> {
  readonly #read: ReadRows<Row>;
  #pending = new Map<string, { resolve: (row: Row | undefined) => void; reject: (error: unknown) => void }[]>();
  #inFlight = false;
  #scheduled = false;

  constructor(read: ReadRows<Row>) {
    this.#read = read;
  }

  /** The row of `key`, or undefined. */
  get(key: string): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.#pending.get(key);
      if (waiting === undefined) this.#pending.set(key, [{ resolve, reject }]);
      else waiting.push({ resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#round();
    });
  }

  async #round(): Promise<void> {
    if (this.#inFlight || this.#pending.size === 0) return;
    this.#inFlight = true;
    const round = [...this.#pending.entries()].slice(0, MAX_ROUND);
    for (const [key] of round) this.#pending.delete(key);
    try {
      const found = new Map((await this.#read(round.map(([key]) => key))).map(({ key, row }) => [key, row]));
      for (const [key, waiting] of round) for (const { resolve } of waiting) resolve(found.get(key));
    } catch (error) {
      for (const [, waiting] of round) for (const { reject } of waiting) reject(error);
    } finally {
      this.#inFlight = false;
      if (this.#pending.size > 0) this.#schedule();
    }
  }
}
