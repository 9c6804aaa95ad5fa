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
  /** Clears the clipboard if it still holds `text` (or if it cannot be read back). */
  clearIf(text: string): Promise<void>;
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

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

function run(argv: string[], input: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv as [string, ...string[]];
    // xclip/wl-copy stay alive to serve the selection: do not wait for them, only for stdin to drain.
    const child = spawn(command, args, {
      stdio: ['pipe', input === undefined ? 'pipe' : 'ignore', 'ignore'],
      detached: input !== undefined,
    });
    let output = '';
    child.on('error', reject);
    if (input === undefined) {
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      child.on('close', () => resolve(output));
      child.stdin?.end();
    } else {
      child.unref();
      child.stdin?.end(input, () => resolve(''));
    }
  });
}

export function systemClipboard(env: NodeJS.ProcessEnv = process.env): Clipboard {
  const tool = TOOLS.find((candidate) => candidate.when(env) && onPath(candidate.copy[0] as string));
  return {
    tool: tool?.name,
    copy: async (text) => {
      if (tool === undefined) throw new Error('no clipboard tool');
      await run(tool.copy, text);
    },
    clearIf: async (text) => {
      if (tool === undefined) return;
      const current = await run(tool.paste, undefined).catch(() => text);
      if (current.trim() === text) await run(tool.copy, '');
    },
  };
}
