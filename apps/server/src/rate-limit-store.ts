/**
 * @module
 * A store for @fastify/rate-limit. The global per-IP limit (every route) counts in memory, per
 * instance: a database write on every request would cost more than the limit saves. Routes with
 * their own limit — sign-in, the MFA step, recovery — count in the database (`hitRateLimit`, one
 * atomic upsert in fixed windows aligned to the clock), so every instance behind a load balancer
 * shares the count.
 */
import type { ServerStore } from './server-store.js';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface RouteOptions {
  routeInfo?: { method?: string | string[]; url?: string };
}

export function rateLimitStore(store: ServerStore, now: () => number) {
  class MemoryWindows {
    readonly #windows = new Map<string, { start: number; count: number }>();
    incr(key: string, callback: Callback, timeWindow: number): void {
      const at = now();
      const start = at - (at % timeWindow);
      let window = this.#windows.get(key);
      if (window === undefined || window.start !== start) {
        if (this.#windows.size > 50_000) this.#windows.clear();
        window = { start, count: 0 };
        this.#windows.set(key, window);
      }
      window.count++;
      callback(null, { current: window.count, ttl: start + timeWindow - at });
    }
    child(options: unknown): DatabaseWindows {
      const route = (options as RouteOptions).routeInfo ?? {};
      return new DatabaseWindows(`ip:${String(route.method)} ${route.url ?? ''}:`);
    }
  }

  class DatabaseWindows {
    readonly #prefix: string;
    constructor(prefix: string) {
      this.#prefix = prefix;
    }
    incr(key: string, callback: Callback, timeWindow: number): void {
      const at = now();
      const start = at - (at % timeWindow);
      store.hitRateLimit(this.#prefix + key, start).then(
        (current) => callback(null, { current, ttl: start + timeWindow - at }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }
    child(options: unknown): DatabaseWindows {
      const route = (options as RouteOptions).routeInfo ?? {};
      return new DatabaseWindows(`ip:${String(route.method)} ${route.url ?? ''}:`);
    }
  }

  return MemoryWindows;
}
