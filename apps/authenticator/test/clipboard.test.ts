// The system clipboard adapter against the real tools on private display servers: xclip and xsel on
// an Xvfb, wl-copy on a weston running inside that Xvfb (weston's headless backend has no seat, which
// wl-copy needs: see x-server.ts). Each tool is forced by a PATH where only it is found; what is on
// the clipboard is read back with the tool's real paste command. The clock is real, not fake: the
// clearing is a detached shell that sleeps, so the tests use a one-second delay and poll.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClipboard } from '../src/tui/clipboard.js';
import { commandLines, processesWithEnvironment, waitUntil } from './clipboard-processes.js';
import { type DisplayServer, requireCommands, startWeston, startXvfb } from './x-server.js';

interface ToolCase {
  tool: 'xclip' | 'xsel' | 'wl-copy';
  server: 'x11' | 'wayland';
  /** The only clipboard commands on PATH. */
  commands: string[];
  /** How the user (or another program) copies and pastes, independently of the module under test. */
  copy: string[];
  paste: string[];
  /** An environment entry that points the tool at a display server that is not there. */
  gone: () => Record<string, string>;
}

const CASES: ToolCase[] = [
  {
    tool: 'xclip',
    server: 'x11',
    commands: ['xclip'],
    copy: ['xclip', '-selection', 'clipboard'],
    paste: ['xclip', '-selection', 'clipboard', '-o'],
    gone: () => ({ DISPLAY: unusedDisplay() }),
  },
  {
    tool: 'xsel',
    server: 'x11',
    commands: ['xsel'],
    copy: ['xsel', '--clipboard', '--input'],
    paste: ['xsel', '--clipboard', '--output', '--selectionTimeout', '1000'],
    gone: () => ({ DISPLAY: unusedDisplay() }),
  },
  {
    tool: 'wl-copy',
    server: 'wayland',
    commands: ['wl-copy', 'wl-paste'],
    copy: ['wl-copy'],
    paste: ['wl-paste', '--no-newline'],
    gone: () => ({ WAYLAND_DISPLAY: 'wayland-no-such-compositor' }),
  },
];

const DELAY_MS = 1000;
const BACK_TO_BACK = 50;
const tempDirs: string[] = [];
let x11: DisplayServer | undefined;
let wayland: DisplayServer | undefined;

beforeAll(async () => {
  requireCommands(['Xvfb', 'weston', 'xclip', 'xsel', 'wl-copy', 'wl-paste', 'ps']);
  x11 = await startXvfb();
  wayland = await startWeston(x11);
}, 30_000);

afterAll(async () => {
  await wayland?.stop();
  await x11?.stop();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}, 30_000);

function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/**
 * A PATH holding `commands` and no other clipboard tool: besides them only `sh` and `sleep` (the
 * clearing script's) and `cat` and `rm` (wl-copy runs them to buffer what it serves).
 */
function pathWith(commands: string[]): string {
  const dir = temporaryDir('mfakit-clipboard-bin-');
  for (const command of ['sh', 'sleep', 'cat', 'rm', ...commands]) {
    const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(found, join(dir, command));
  }
  return dir;
}

function unusedDisplay(): string {
  let number = 900;
  while (existsSync(`/tmp/.X11-unix/X${number}`)) number += 1;
  return `:${number}`;
}

/** A fresh 8-digit code per test: a canary to look for on command lines and in environments. */
function canaryCode(): string {
  return String(randomInt(10_000_000, 100_000_000));
}

function clipboardTests(c: ToolCase) {
  describe(`with ${c.tool}`, () => {
    let env: Record<string, string> = {};
    beforeAll(() => {
      const server = c.server === 'x11' ? x11 : wayland;
      if (server === undefined) throw new Error('the display server did not start');
      // xsel refuses to run without HOME (it keeps a log there).
      env = { PATH: pathWith(c.commands), HOME: temporaryDir('mfakit-clipboard-home-'), ...server.env };
    });

    const paste = () => {
      const [command, ...args] = c.paste as [string, ...string[]];
      return spawnSync(command, args, { env, encoding: 'utf8', timeout: 2_000 }).stdout;
    };
    /** Another program copying, as the user might while a clearing is pending. */
    const copyElsewhere = async (text: string) => {
      const [command, ...args] = c.copy as [string, ...string[]];
      const copied = spawnSync(command, args, {
        env,
        input: text,
        stdio: ['pipe', 'ignore', 'ignore'],
        timeout: 5_000,
      });
      expect(copied.status).toBe(0);
      // The X11 tools exit a moment before their server holds the selection.
      await waitUntil(() => paste() === text, 'the other copy');
    };
    /** The clearing script holds the code in its environment until it has run. */
    const clearingDone = (code: string) =>
      waitUntil(() => processesWithEnvironment(code).length === 0, 'the clearing to run');

    it('is the tool found, and copies the exact code to the real clipboard, every time', async () => {
      const clipboard = systemClipboard(env);
      expect(clipboard.tool).toBe(c.tool);
      // No polling: copy resolves once the clipboard holds the code. Back to back, because a paste
      // right after the X11 tools exit reads the old text only now and then (see `readBack` in
      // clipboard.ts): without the read-back this fails in about half the runs, not every run.
      for (let copies = 0; copies < BACK_TO_BACK; copies += 1) {
        const code = canaryCode();
        await clipboard.copy(code);
        expect(paste()).toBe(code);
      }
    });

    it('clears the code once the delay has passed', async () => {
      const clipboard = systemClipboard(env);
      const code = canaryCode();
      await clipboard.copy(code);
      const clearRequested = performance.now();
      clipboard.clearLater(code, DELAY_MS);
      await waitUntil(() => paste() === '', 'the clipboard to be cleared');
      // A lower bound only: the clearing must not come early; how late it comes is not asserted.
      expect(performance.now() - clearRequested).toBeGreaterThanOrEqual(DELAY_MS);
    });

    it('leaves the clipboard alone when it holds something else by then', async () => {
      const clipboard = systemClipboard(env);
      const code = canaryCode();
      await clipboard.copy(code);
      clipboard.clearLater(code, DELAY_MS);
      await copyElsewhere('copied by the user since');
      await clearingDone(code);
      expect(paste()).toBe('copied by the user since');
    });

    it('keeps the code off every command line, and no process holds it once cleared', async () => {
      const clipboard = systemClipboard(env);
      const code = canaryCode();
      await clipboard.copy(code);
      clipboard.clearLater(code, DELAY_MS);
      // The pending clearing does hold the code (in its environment), so the check below is not vacuous.
      expect(processesWithEnvironment(code)).not.toEqual([]);
      const shown = new Set<string>();
      await waitUntil(() => {
        for (const line of commandLines()) if (line.includes(code)) shown.add(line);
        return processesWithEnvironment(code).length === 0;
      }, 'the clearing to run');
      expect([...shown]).toEqual([]);
      await waitUntil(() => paste() === '', 'the clipboard to be cleared');
      expect(processesWithEnvironment(code)).toEqual([]);
    });

    it('rejects the copy, without the code in the message, when the display server is gone', async () => {
      const clipboard = systemClipboard({ ...env, ...c.gone() });
      expect(clipboard.tool).toBe(c.tool);
      const code = canaryCode();
      const copied = clipboard.copy(code);
      await expect(copied).rejects.toThrow(c.commands[0]);
      await expect(copied).rejects.not.toThrow(code);
    });
  });
}

describe('systemClipboard', () => {
  for (const c of CASES) clipboardTests(c);

  it('reports no tool without a display, even with every tool on PATH', () => {
    const env = { PATH: pathWith(['wl-copy', 'wl-paste', 'xclip', 'xsel']) };
    expect(systemClipboard(env).tool).toBeUndefined();
  });

  it('prefers wl-copy on Wayland, then xclip, then xsel on X11', () => {
    const path = pathWith(['wl-copy', 'wl-paste', 'xclip', 'xsel']);
    expect(systemClipboard({ PATH: path, WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }).tool).toBe('wl-copy');
    expect(systemClipboard({ PATH: path, DISPLAY: ':0' }).tool).toBe('xclip');
    expect(systemClipboard({ PATH: pathWith(['xsel']), DISPLAY: ':0' }).tool).toBe('xsel');
    // Found on PATH only as an executable file: not in an empty PATH, not as a directory.
    expect(systemClipboard({ PATH: pathWith([]), DISPLAY: ':0' }).tool).toBeUndefined();
    expect(systemClipboard({ PATH: '', DISPLAY: ':0' }).tool).toBeUndefined();
    const directories = temporaryDir('mfakit-path-');
    mkdirSync(join(directories, 'xclip'));
    expect(systemClipboard({ PATH: directories, DISPLAY: ':0' }).tool).toBeUndefined();
  });
});
