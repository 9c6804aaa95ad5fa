/**
 * @module
 * Copying a code to the system clipboard with the first tool present (wl-copy on Wayland,
 * xclip/xsel on X11, pbcopy on macOS), and clearing it later if it still holds that code.
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Clipboard {
  /** Tool name, or undefined when none is available. */
  readonly tool: string | undefined;
  /**
   * Resolves once the clipboard holds `text` (on X11: once it reads back, or after 2 s of trying);
   * rejects when the tool fails (no display, say).
   */
  copy(text: string): Promise<void>;
  /**
   * Clears the clipboard after `ms` if it still holds `text`. Done by a small detached shell that
   * outlives mfakit, so quitting right after copying neither waits 30 s nor leaves the code behind.
   */
  clearLater(text: string, ms: number): void;
}

interface Tool {
  name: string;
  copy: string[];
  paste: string[];
  /**
   * The X11 tools exit before the selection is surely theirs: xsel forks its server before that
   * server takes the selection, and xclip exits with its request to take it still unsent in the
   * buffer its server inherits. A paste right after read the previous text up to one time in
   * twelve (xsel) or in 150 (xclip), so copy pastes until it reads the text back. (wl-copy forks only
   * after a round trip that sets the selection; wl-paste would flash a window on some compositors.)
   */
  readBack: boolean;
  when: (env: NodeJS.ProcessEnv) => boolean;
}

const TOOLS: Tool[] = [
  {
    name: 'wl-copy',
    copy: ['wl-copy'],
    paste: ['wl-paste', '-n'],
    readBack: false,
    when: (env) => Boolean(env.WAYLAND_DISPLAY),
  },
  {
    name: 'xclip',
    copy: ['xclip', '-selection', 'clipboard'],
    paste: ['xclip', '-selection', 'clipboard', '-o'],
    readBack: true,
    when: (env) => Boolean(env.DISPLAY),
  },
  {
    name: 'xsel',
    copy: ['xsel', '--clipboard', '--input'],
    // Without a timeout, `xsel --output` racing a new owner waited forever (2 runs in 400 here).
    paste: ['xsel', '--clipboard', '--output', '--selectionTimeout', '1000'],
    readBack: true,
    when: (env) => Boolean(env.DISPLAY),
  },
  { name: 'pbcopy', copy: ['pbcopy'], paste: ['pbpaste'], readBack: false, when: () => process.platform === 'darwin' },
];

/**
 * Whether `command` is an executable file in a directory of env.PATH (what `command -v` finds for
 * an external command), checked with stat calls: the app looks for its clipboard tool before its
 * first frame, where spawning a shell per tool cost several milliseconds each.
 */
function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((directory) => {
    if (directory === '') return false;
    try {
      const path = join(directory, command);
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * Pipes `input` to the copy tool and waits for it to exit (xclip, xsel and wl-copy fork a child that
 * serves the selection, and exit), so that a tool that cannot reach the display (a stale DISPLAY in
 * tmux or over ssh) rejects instead of passing for a copy, as it did when this resolved on stdin.
 */
function copyWith(argv: string[], input: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv as [string, ...string[]];
    // Detached: the forked server keeps the selection after the terminal mfakit ran in closes.
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'ignore'], detached: true, env });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} could not copy (${signal ?? `exit code ${code}`})`));
    });
    // A tool that fails before reading stdin makes this EPIPE; its exit status says what happened.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
    child.unref();
  });
}

const READ_BACK_MS = 2_000;

function paste(argv: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    execFile(command, args, { env, encoding: 'utf8', timeout: 2_000 }, (error, stdout) =>
      resolve(error === null ? stdout : undefined),
    );
  });
}

/**
 * Pastes until the clipboard holds `text`. Gives up quietly after READ_BACK_MS: the copy tool said
 * it succeeded, and the clearing still runs (and checks what the clipboard holds by then).
 */
async function untilPasted(argv: string[], text: string, env: NodeJS.ProcessEnv): Promise<void> {
  const deadline = Date.now() + READ_BACK_MS;
  while (Date.now() < deadline) {
    if ((await paste(argv, env)) === text) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function systemClipboard(env: NodeJS.ProcessEnv = process.env): Clipboard {
  const tool = TOOLS.find((candidate) => candidate.when(env) && onPath(candidate.copy[0] as string, env));
  return {
    tool: tool?.name,
    copy: async (text) => {
      if (tool === undefined) throw new Error('no clipboard tool');
      await copyWith(tool.copy, text, env);
      if (tool.readBack) await untilPasted(tool.paste, text, env);
    },
    clearLater: (text, ms) => {
      if (tool === undefined) return;
      // The code goes through the environment, not the command line (which `ps` shows to everyone),
      // and moves at once into an unexported variable: the copy tool that clears stays alive to
      // serve the empty selection (xclip does) and would otherwise keep the code in its environment.
      // Clearing copies an empty string (xsel takes that as clearing the selection): xclip has no
      // option to clear, and `wl-copy --clear` leaves the code in place on weston.
      const script = `code=$MFAKIT_CLIPBOARD_CODE; unset MFAKIT_CLIPBOARD_CODE; sleep ${Math.ceil(ms / 1000)}; current=$(${tool.paste.join(' ')} 2>/dev/null); if [ "$current" = "$code" ]; then printf '' | ${tool.copy.join(' ')}; fi`;
      const child = spawn('sh', ['-c', script], {
        detached: true,
        stdio: 'ignore',
        env: { ...env, MFAKIT_CLIPBOARD_CODE: text },
      });
      child.on('error', () => undefined);
      child.unref();
    },
  };
}
