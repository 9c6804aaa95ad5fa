/**
 * @module
 * `useIdleLock(clock, afterMs, onLock)`: calls `onLock` once no key has been pressed for `afterMs`
 * (as Aegis locks after inactivity), so codes do not stay on an unattended screen. Every key,
 * on any screen, restarts the wait. One timer at a time, on the app's clock (tests advance it).
 */
import { useInput } from 'ink';
import { useEffect, useRef } from 'react';
import type { Clock } from './clock.js';

export function useIdleLock(clock: Clock, afterMs: number | undefined, onLock: () => void): void {
  const cancel = useRef<() => void>(() => {});
  const lock = useRef(onLock);
  lock.current = onLock;
  // A key that quits reaches this hook's handler after the app has unmounted: it must not arm a
  // timer nobody cancels (it would keep the process alive for the whole idle time).
  const mounted = useRef(false);
  const arm = () => {
    cancel.current();
    if (!mounted.current || afterMs === undefined || afterMs <= 0) return;
    cancel.current = clock.schedule(afterMs, () => lock.current());
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: arm reads only clock and afterMs
  useEffect(() => {
    mounted.current = true;
    arm();
    return () => {
      mounted.current = false;
      cancel.current();
    };
  }, [clock, afterMs]);
  useInput(() => arm(), { isActive: afterMs !== undefined && afterMs > 0 });
}
