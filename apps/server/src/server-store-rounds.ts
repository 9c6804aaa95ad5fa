/**
 * @module
 * The PostgreSQL server store's two most frequent statements, in rounds: rate-limit hits
 * (`RateLimitRounds`) and session lookups (`LookupRounds`). The calls an instance makes while a
 * round is in flight (and in the event loop's turn before it) are gathered by key and sent by
 * the next round, one statement; one round is in flight at a time. A round that fails fails its
 * calls (the route answers 500: nothing was counted, nothing let through).
 *
 * Rate-limit hits: every request to a limited route counts in the database, and the hits of one
 * client IP all land on one row (`rate_limits`, one row per key and window): one upsert per hit
 * made that row's lock the instance's queue. A round adds each row's hits at once (`count =
 * count + n`, `RETURNING` the new totals), and each hit gets the count it would have got one after
 * the other — the round's total minus the hits after it — so a limit still refuses exactly the
 * hits past it. Session lookups: every request of a signed-in user reads its session; a round
 * reads them with one `WHERE id_hash = ANY($1)`, and sees what was committed before it started.
 */

interface Waiting<Answer> {
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
}

/** Keys per round at most (a few array elements each in one statement). */
const MAX_ROUND = 500;

/**
 * Calls gathered by key into rounds. `write` gets the round's items (one per key, in key order:
 * two instances' rounds over the same rows then lock them in one order) and how many calls wait on
 * each, and answers every waiting call, per item in order.
 */
class KeyedRounds<Item, Answer> {
  readonly #write: (items: Item[], waiting: number[]) => Promise<Answer[][]>;
  #pending = new Map<string, { item: Item; waiting: Waiting<Answer>[] }>();
  #inFlight = false;
  #scheduled = false;

  constructor(write: (items: Item[], waiting: number[]) => Promise<Answer[][]>) {
    this.#write = write;
  }

  enqueue(key: string, item: Item): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const pending = this.#pending.get(key);
      if (pending === undefined) this.#pending.set(key, { item, waiting: [{ resolve, reject }] });
      else pending.waiting.push({ resolve, reject });
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
    const round = [...this.#pending.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_ROUND);
    for (const [key] of round) this.#pending.delete(key);
    const entries = round.map(([, entry]) => entry);
    try {
      const answers = await this.#write(
        entries.map((entry) => entry.item),
        entries.map((entry) => entry.waiting.length),
      );
      for (const [i, entry] of entries.entries()) {
        for (const [j, { resolve }] of entry.waiting.entries()) resolve(answers[i]?.[j] as Answer);
      }
    } catch (error) {
      for (const entry of entries) for (const { reject } of entry.waiting) reject(error);
    } finally {
      this.#inFlight = false;
      if (this.#pending.size > 0) this.#schedule();
    }
  }
}

/** Writes one round: `keys[i]` in window `starts[i]` gets `hits[i]` more; answers each row's new total, in order. */
export type WriteHits = (keys: string[], starts: number[], hits: number[]) => Promise<number[]>;

/** Rate-limit hits, summed per key and window and written in rounds. */
export class RateLimitRounds {
  readonly #rounds: KeyedRounds<{ key: string; windowStart: number }, number>;

  constructor(write: WriteHits) {
    this.#rounds = new KeyedRounds(async (items, waiting) => {
      const totals = await write(
        items.map((item) => item.key),
        items.map((item) => item.windowStart),
        waiting,
      );
      // The hits of a row, in order, end at its new total.
      return items.map((_, i) => {
        const first = (totals[i] as number) - (waiting[i] as number);
        return Array.from({ length: waiting[i] as number }, (_, j) => first + j + 1);
      });
    });
  }

  /** Counts one hit on `key` in the window starting at `windowStart`; resolves with its count. */
  hit(key: string, windowStart: number): Promise<number> {
    return this.#rounds.enqueue(`${windowStart}\u0000${key}`, { key, windowStart });
  }
}

/** Reads one round: the rows found for `keys` (any order; a key without a row is left out). */
export type ReadRows<Row> = (keys: string[]) => Promise<{ key: string; row: Row }[]>;

/** Lookups by key (sessions by their id's hash), in rounds. */
export class LookupRounds<Row> {
  readonly #rounds: KeyedRounds<string, Row | undefined>;

  constructor(read: ReadRows<Row>) {
    this.#rounds = new KeyedRounds(async (keys, waiting) => {
      const found = new Map((await read(keys)).map(({ key, row }) => [key, row]));
      return keys.map((key, i) => Array.from({ length: waiting[i] as number }, () => found.get(key)));
    });
  }

  /** The row of `key`, or undefined. */
  get(key: string): Promise<Row | undefined> {
    return this.#rounds.enqueue(key, key);
  }
}
