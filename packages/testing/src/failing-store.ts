/**
 * @module
 * `FailingStore`: wraps a `RegistryStore` so that its Nth method call fails — either *before*
 * reaching the store (the operation never happened: a rolled-back transaction, a refused
 * connection) or *after* it (the operation happened but its answer was lost: a connection
 * dropped after COMMIT). Run a flow once per N to prove it never leaves state half-done and that
 * a retry finishes it.
 */
import type { RegistryStore } from '@mfakit/registry';

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

export class FailingStore {
  /** The wrapped store: pass this to the `Registry`. */
  readonly store: RegistryStore;
  /** Method names called since the last `failOn()` or `watch()`, in order. */
  readonly calls: string[] = [];
  #failOn: number | undefined;
  #timing: FailureTiming = 'before';

  constructor(inner: RegistryStore) {
    this.store = new Proxy(inner, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        // Methods run on the real store (class private fields do not work through a proxy).
        return async (...args: unknown[]) => {
          this.calls.push(property);
          const call = this.calls.length;
          const fails = call === this.#failOn;
          if (fails && this.#timing === 'before') throw new InjectedStoreFailure(property, call, 'before');
          const result = await value.apply(target, args);
          if (fails) throw new InjectedStoreFailure(property, call, 'after');
          return result;
        };
      },
    });
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
