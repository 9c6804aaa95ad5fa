/**
 * A private tmux server for the end-to-end tests: its own socket (never the user's tmux), sessions
 * of a fixed size, keys sent with send-keys, the screen read with capture-pane, and waits that poll
 * the screen (the app is another process: the tests wait for it, they never sleep a fixed time).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export interface TmuxOptions {
  /** The environment of the tmux server (and so of the sessions it starts); default: the runner's. */
  env?: NodeJS.ProcessEnv;
  /** Read the scrollback too, wrapped lines joined: everything the user has seen, not just the screen. */
  scrollback?: boolean;
}

export interface SessionOptions {
  columns?: number;
  rows?: number;
  cwd: string;
  env?: Record<string, string>;
  /** A shell command line. */
  command: string;
}

export function tmuxTerminal(socket: string, options: TmuxOptions = {}) {
  let session = '';
  const run = (...args: string[]): string =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', ...(options.env ? { env: options.env } : {}) });
  const screen = (): string =>
    run('capture-pane', '-p', ...(options.scrollback === true ? ['-J', '-S', '-'] : []), '-t', session);
  return {
    run,
    screen,
    /** The current session's name (for tmux commands not wrapped here). */
    session: () => session,
    /** Fails (the tests must not skip) when tmux is not installed. */
    requireTmux(): void {
      const found = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
      if (found.error !== undefined || found.status !== 0) {
        throw new Error(
          'tmux is not installed: this end-to-end test needs it (Debian: apt-get install tmux, or run bash scripts/test-env.sh)',
        );
      }
    },
    /** Starts a detached session; later calls (keys, screen, waitFor) act on it. */
    start(name: string, { columns = 80, rows = 24, cwd, env = {}, command }: SessionOptions): void {
      session = name;
      const envArgs = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
      run('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), '-c', cwd, ...envArgs, command);
    },
    keys: (...names: string[]) => run('send-keys', '-t', session, ...names),
    literal: (text: string) => run('send-keys', '-t', session, '-l', text),
    /** Polls the screen until `predicate` holds; on time-out the error shows the screen. */
    async waitFor(predicate: (text: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      let text = '';
      while (Date.now() < deadline) {
        text = screen();
        if (predicate(text)) return text;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
    },
    killSession(): void {
      spawnSync('tmux', ['-L', socket, 'kill-session', '-t', session], { stdio: 'ignore', env: options.env });
    },
    killServer(): void {
      spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore', env: options.env });
      rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
    },
  };
}
