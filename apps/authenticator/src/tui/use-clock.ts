/**
 * @module
 * `useSecond(clock)`: the current time, re-rendering once at each whole second.
 */
import { useEffect, useState } from 'react';
import { type Clock, msToNextSecond } from './clock.js';

export function useSecond(clock: Clock): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    let cancel = () => {};
    const arm = () => {
      cancel = clock.schedule(msToNextSecond(clock.now()), () => {
        setNow(clock.now());
        arm();
      });
    };
    arm();
    return () => cancel();
  }, [clock]);
  return now;
}
