/**
 * @module
 * `useSecond(clock, ticking)`: the current time, re-rendering once at each whole second while
 * `ticking`. Screens that show no time (a QR code, help, dialogs) pause it: a QR code fills an
 * 80×24 terminal, and Ink redraws a screen that fills the terminal by clearing it first, so a
 * tick every second would make it flicker.
 */
import { useEffect, useState } from 'react';
import { type Clock, msToNextSecond } from './clock.js';

export function useSecond(clock: Clock, ticking = true): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    if (!ticking) return;
    // Catch up at once when ticking resumes (time moved on while paused); same second: no render.
    const resumedAt = clock.now();
    setNow((old) => (Math.floor(old / 1000) === Math.floor(resumedAt / 1000) ? old : resumedAt));
    let cancel = () => {};
    const arm = () => {
      cancel = clock.schedule(msToNextSecond(clock.now()), () => {
        setNow(clock.now());
        arm();
      });
    };
    arm();
    return () => cancel();
  }, [clock, ticking]);
  return now;
}
