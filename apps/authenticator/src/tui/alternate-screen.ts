/**
 * @module
 * The app draws on the terminal's alternate screen (xterm's private mode 1049, as less, vim and
 * htop do): when it ends, the shell's screen comes back as it was, and no account name or code is
 * left in the scrollback. The normal screen and a visible cursor are restored on every way out:
 * a normal quit, an error, SIGTERM/SIGHUP/SIGINT, and `process.exit` anywhere (the 'exit' event,
 * written synchronously).
 */
import { writeSync } from 'node:fs';

const ENTER = '\u001b[?1049h\u001b[2J\u001b[H';
const LEAVE = '\u001b[?25h\u001b[?1049l';
/** Clears the screen and scrollback and homes the cursor: a resize must not leave old frames. */
export const CLEAR_SCREEN = '\u001b[2J\u001b[3J\u001b[H';

const SIGNALS = { SIGTERM: 15, SIGHUP: 1, SIGINT: 2 } as const;

/**
 * Switches `stdout` to the alternate screen; the returned function switches back (once).
 * `beforeLeave` runs first on every path: Ink writes its last frame when it unmounts, and that
 * frame must land on the alternate screen, not in the shell's scrollback.
 */
export function enterAlternateScreen(stdout: NodeJS.WriteStream, beforeLeave: () => void = () => {}): () => void {
  const fd = (stdout as NodeJS.WriteStream & { fd?: number }).fd;
  let active = true;
  const leave = () => {
    if (!active) return;
    active = false;
    try {
      beforeLeave();
    } catch {
      // Leaving the alternate screen matters more than a clean unmount.
    }
    process.off('exit', leave);
    for (const [signal, handler] of handlers) process.off(signal, handler);
    // Synchronous: on 'exit' and in a signal handler nothing asynchronous runs any more.
    if (typeof fd === 'number') {
      try {
        writeSync(fd, LEAVE);
        return;
      } catch {
        // fall through to the stream (a test double)
      }
    }
    stdout.write(LEAVE);
  };
  const handlers = (Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]).map((signal) => {
    const handler = () => {
      leave();
      // The conventional status of a process ended by a signal.
      process.exit(128 + SIGNALS[signal]);
    };
    return [signal, handler] as const;
  });
  stdout.write(ENTER);
  process.on('exit', leave);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return leave;
}
