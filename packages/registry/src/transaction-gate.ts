/**
 * @module
 * `TransactionGate`: "one transaction at a time, and nothing else while it runs" for stores over
 * a single in-process resource — the memory store's maps, or SQLite's one synchronous connection
 * (where a statement issued while a transaction is open would silently join it). Transactions
 * queue in call order; operations outside them run at once when none is open, and otherwise wait
 * for it to end. Exported for store authors by `@mfakit/registry/store`.
 */

/** Runs one transaction at a time; calls outside it wait while one runs (see the module doc). */
export class TransactionGate {
  /** True while an exclusive body runs. */
  #active = false;
  /** Resolves when the body queued last has finished. */
  #queue: Promise<void> = Promise.resolve();
  /** Operations waiting for the running body to end. */
  #waiting: (() => void)[] = [];

  /** Whether a transaction is running now. */
  get active(): boolean {
    return this.#active;
  }

  /**
   * Runs `operation` now when no transaction is running (its throw becomes a rejection), else
   * after it ends — re-checked on wake-up, since another may have started in between.
   */
  whenIdle<T>(operation: () => T): Promise<Awaited<T>> {
    if (!this.#active) {
      try {
        return Promise.resolve(operation()) as Promise<Awaited<T>>;
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve)).then(() => this.whenIdle(operation));
  }

  /** Runs `body` alone, after every body queued before it; `whenIdle` operations wait meanwhile. */
  async exclusive<T>(body: () => Promise<T>): Promise<T> {
    const previous = this.#queue;
    let release = () => {};
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#active = true;
    try {
      return await body();
    } finally {
      this.#active = false;
      for (const wake of this.#waiting.splice(0)) wake();
      release();
    }
  }
}
