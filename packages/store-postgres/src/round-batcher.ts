/**
 * @module
 * Group commit for autocommit calls: calls of one kind that arrive while a round of that kind is
 * in flight wait for the next round, and each round is one statement (one round trip, one
 * commit) for all of them. On a loaded instance a round carries most of the instance's concurrent
 * sign-ins; a lone call goes out at the end of the event loop's turn, in a round of one — nothing
 * waits on a timer.
 *
 * Why: on a loaded server every statement costs a round trip — a socket write and a wake-up of
 * the client and of a PostgreSQL backend — and a commit; measured on the 2-core bench machine, a
 * sign-in's three statements cost ≈ 200 µs of client CPU (most of it in the socket write) and
 * ≈ 230 µs of server CPU. Sharing the round trip and the commit among the calls in flight is
 * what lets two instances with 8 clients each reach the throughput one instance with 16 had.
 *
 * A round holds at most one call per `key` (its calls touch rows no other call of the round
 * touches: an `INSERT … ON CONFLICT DO UPDATE` may change a row only once per statement, and a
 * compare-and-set must see the effect of the call before it); a call whose key is taken stays in
 * the queue, in order, for the next round. A round that fails fails every call in it (nothing of
 * it committed: one statement); one lost to a deadlock with another instance's round runs again.
 */
import { isRetryable } from './errors.js';

interface Waiting<Item, Result> {
  item: Item;
  key: string | undefined;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/** How a batcher runs: `write` sends one round, in order, and answers each item in that order. */
export interface RoundBatcherOptions<Item, Result> {
  write: (items: Item[]) => Promise<Result[]>;
  /** Items per round at most. */
  maxBatch: number;
  /** Rounds in flight at once at most (each holds one pooled connection while it runs). */
  maxInFlight: number;
  /** Runs of a round lost to a deadlock or serialisation failure before its calls fail. */
  attempts?: number;
}

export class RoundBatcher<Item, Result> {
  readonly #options: RoundBatcherOptions<Item, Result>;
  #queue: Waiting<Item, Result>[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(options: RoundBatcherOptions<Item, Result>) {
    this.#options = options;
  }

  /** Queues `item`; resolves with its result once its round committed. */
  submit(item: Item, key?: string): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, key, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Starts rounds once the current turn of the event loop is done (`setImmediate`, no timer):
   * the calls that the answers of one round set off — all resolved in one turn — go out
   * together instead of the first alone.
   */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#options.maxInFlight && this.#queue.length > 0) {
      const round = this.#take();
      this.#inFlight++;
      void this.#run(round).finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
    }
  }

  /** The next round: queue order, at most one item per key; the rest keep their places. */
  #take(): Waiting<Item, Result>[] {
    const { maxBatch } = this.#options;
    const first = this.#queue[0] as Waiting<Item, Result>;
    if (this.#queue.length === 1 || maxBatch === 1) return this.#queue.splice(0, 1);
    const round: Waiting<Item, Result>[] = [first];
    const keys = new Set<string>();
    if (first.key !== undefined) keys.add(first.key);
    const left: Waiting<Item, Result>[] = [];
    for (let i = 1; i < this.#queue.length; i++) {
      const waiting = this.#queue[i] as Waiting<Item, Result>;
      if (round.length === maxBatch || (waiting.key !== undefined && keys.has(waiting.key))) {
        left.push(waiting);
        continue;
      }
      if (waiting.key !== undefined) keys.add(waiting.key);
      round.push(waiting);
    }
    this.#queue = left;
    return round;
  }

  async #run(round: Waiting<Item, Result>[]): Promise<void> {
    const attempts = this.#options.attempts ?? 5;
    const items = round.map((waiting) => waiting.item);
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await this.#options.write(items);
        for (const [i, waiting] of round.entries()) waiting.resolve(results[i] as Result);
        return;
      } catch (error) {
        if (attempt < attempts && isRetryable(error)) continue;
        for (const waiting of round) waiting.reject(error);
        return;
      }
    }
  }
}
