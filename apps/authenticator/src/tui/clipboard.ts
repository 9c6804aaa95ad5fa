/**
 * @module
 * Copying a code to the system clipboard with the first tool present (wl-copy on Wayland,
 * xclip/xsel on X11, pbcopy on macOS), and clearing it later if it still holds that code.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface Clipboard {
  /** Tool name, or undefined when none is available. */
  readonly tool: string | undefined;
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
  when: (env: NodeJS.ProcessEnv) => boolean;
}

const TOOLS: Tool[] = [
  { name: 'wl-copy', copy: ['wl-copy'], paste: ['wl-paste', '-n'], when: (env) => Boolean(env.WAYLAND_DISPLAY) },
  {
    name: 'xclip',
    copy: ['xclip', '-selection', 'clipboard'],
    paste: ['xclip', '-selection', 'clipboard', '-o'],
    when: (env) => Boolean(env.DISPLAY),
  },
  {
    name: 'xsel',
    copy: ['xsel', '--clipboard', '--input'],
    paste: ['xsel', '--clipboard', '--output'],
    when: (env) => Boolean(env.DISPLAY),
  },
  { name: 'pbcopy', copy: ['pbcopy'], paste: ['pbpaste'], when: () => process.platform === 'darwin' },
];

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore', env }).status === 0;
}

/** Writes `input` to the copy tool. xclip and wl-copy stay alive to serve the selection: wait only for stdin to drain. */
function copyWith(argv: string[], input: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv as [string, ...string[]];
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'ignore'], detached: true, env });
    child.on('error', reject);
    child.unref();
    child.stdin?.end(input, () => resolve());
  });
}

export function systemClipboard(env: NodeJS.ProcessEnv = process.env): Clipboard {
  const tool = TOOLS.find((candidate) => candidate.when(env) && onPath(candidate.copy[0] as string, env));
  return {
    tool: tool?.name,
    copy: async (text) => {
      if (tool === undefined) throw new Error('no clipboard tool');
      await copyWith(tool.copy, text, env);
    },
    clearLater: (text, ms) => {
      if (tool === undefined) return;
      // The code goes through the environment, not the command line (which `ps` shows to everyone).
      const script = `sleep ${Math.ceil(ms / 1000)}; current=$(${tool.paste.join(' ')} 2>/dev/null); if [ "$current" = "$MFAKIT_CLIPBOARD_CODE" ]; then printf '' | ${tool.copy.join(' ')}; fi`;
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
