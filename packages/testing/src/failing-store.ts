/**
 * @module
 * `FailingStore`: wraps a `RegistryStore` so that its Nth method call fails — either *before*
 * reaching the store (the operation never happened: a rolled-back transaction, a refused
 * connection) or *after* it (the operation happened but its answer was lost: a connection
 * dropped after COMMIT). Calls inside a transaction count too (a failure there rolls the
 * transaction back). Run a flow once per N to prove it never leaves state half-done and that a
 * retry finishes it.
 */
import type { RegistryStore } from '@mfakit/registry';
import { type RegistryTables, STORE_METHODS, type StoreTransaction } from '@mfakit/registry/store';

/**
 * When an injected failure strikes: `before` the call reaches the inner store (nothing happened),
 * or `after` it returned (it happened, but the caller never hears so).
 */
export type FailureTiming = 'before' | 'after';

/** The error a `FailingStore` throws; `method` and `call` say which call it was. */
export class InjectedStoreFailure extends Error {
  override readonly name = 'InjectedStoreFailure';
  constructor(
    readonly method: string,
    readonly call: number,
    readonly timing: FailureTiming,
  ) {
    super(`injected store failure ${timing} call ${call} (${method})`);
  }
}

/**
 * Fault injection for registry flows: wraps a `RegistryStore` and makes its Nth method call
 * (counted across tables, `transaction` and the `lockUser` and table calls inside one) throw
 * {@link InjectedStoreFailure}, before or after the inner call runs. Give the registry
 * `failingStore.store`, call `watch()` and run a flow once to count its calls, then for each N
 * `failOn(N, timing)`, run the flow, `heal()`, and check that the state is whole and a retry
 * finishes the flow. The wrapper adds no locking of its own; transactions are the inner store's.
 *
 * @example
 * ```ts
 * const failing = new FailingStore(new MemoryRegistryStore());
 * const registry = new Registry({ ...options, store: failing.store });
 * failing.failOn(3, 'after');
 * await expect(registry.verifySignIn(userId, code)).rejects.toBeInstanceOf(InjectedStoreFailure);
 * failing.heal();
 * ```
 */
export class FailingStore {
  /** The wrapped store: pass this to the `Registry`. */
  readonly store: RegistryStore;
  /** Method names (`devices.insert`, `transaction`, …) called since the last `failOn()` or `watch()`, in order. */
  readonly calls: string[] = [];
  #failOn: number | undefined;
  #timing: FailureTiming = 'before';

  constructor(inner: RegistryStore) {
    const tables = this.#wrapTables(inner);
    this.store = {
      ...tables,
      transaction: <T>(work: (tx: StoreTransaction) => Promise<T>) =>
        this.#call('transaction', () =>
          inner.transaction((tx) =>
            work({
              ...this.#wrapTables(tx),
              lockUser: (userId: string) => this.#call('lockUser', () => tx.lockUser(userId)),
            }),
          ),
        ),
    };
  }

  #wrapTables(inner: RegistryTables): RegistryTables {
    const wrapped: Record<string, Record<string, unknown>> = {};
    for (const [table, methods] of Object.entries(STORE_METHODS)) {
      const source = inner[table as keyof RegistryTables] as unknown as Record<
        string,
        (...args: unknown[]) => Promise<unknown>
      >;
      const target: Record<string, unknown> = {};
      for (const method of methods) {
        target[method] = (...args: unknown[]) => this.#call(`${table}.${method}`, () => source[method]?.(...args));
      }
      wrapped[table] = target;
    }
    return wrapped as unknown as RegistryTables;
  }

  async #call<T>(name: string, run: () => Promise<T> | undefined): Promise<T> {
    this.calls.push(name);
    const call = this.calls.length;
    const fails = call === this.#failOn;
    if (fails && this.#timing === 'before') throw new InjectedStoreFailure(name, call, 'before');
    const result = (await run()) as T;
    if (fails) throw new InjectedStoreFailure(name, call, 'after');
    return result;
  }

  /** Makes the `call`-th method call from now (1-based) fail, `before` or `after` it runs. */
  failOn(call: number, timing: FailureTiming = 'before'): this {
    if (!Number.isInteger(call) || call < 1) throw new RangeError('call must be a positive integer');
    this.calls.length = 0;
    this.#failOn = call;
    this.#timing = timing;
    return this;
  }

  /** Starts a fresh `calls` log without failing anything (to count a flow's calls). */
  watch(): this {
    this.calls.length = 0;
    this.#failOn = undefined;
    return this;
  }

  /** No more failures. */
  heal(): this {
    this.#failOn = undefined;
    return this;
  }
}
