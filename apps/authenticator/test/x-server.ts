/**
 * @module
 * Private display servers for the clipboard tests: an Xvfb per test file (X11, for xclip and xsel)
 * and a weston on top of it (Wayland, for wl-copy). Stopping one waits until every process that
 * was started against it (xclip, xsel and wl-copy stay alive to serve the selection) has exited.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesWithEnvironment, waitUntil } from './clipboard-processes.js';

export interface DisplayServer {
  /** The environment entries a client needs to reach this server, e.g. `{ DISPLAY: ':3' }`. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the server, then waits for its clients to exit (and kills any that do not). */
  stop(): Promise<void>;
}

/** Fails (never skips) when a tool is missing, saying how to install it. */
export function requireCommands(commands: readonly string[]): void {
  const missing = commands.filter(
    (command) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status !== 0,
  );
  if (missing.length > 0) {
    throw new Error(
      `The clipboard tests need ${missing.join(', ')} on PATH: run \`bash scripts/test-env.sh\` to install them.`,
    );
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Ends `child`, then every process whose environment holds `entry` (the server's clients). */
async function stopServer(child: ChildProcess, entry: string): Promise<void> {
  child.kill('SIGTERM');
  await exited(child);
  try {
    await waitUntil(() => processesWithEnvironment(entry).length === 0, `the clients of ${entry} to exit`, 5_000);
  } catch {
    for (const pid of processesWithEnvironment(entry)) process.kill(pid, 'SIGKILL');
  }
}

/** Starts `Xvfb -displayfd`: the server picks a free display number and writes it once it accepts clients. */
export async function startXvfb(): Promise<DisplayServer> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-noreset', '-screen', '0', '640x480x24'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let log = '';
  xvfb.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const displayNumber = await new Promise<string>((resolve, reject) => {
    let written = '';
    const displayFd = xvfb.stdio[3] as NodeJS.ReadableStream;
    displayFd.on('data', (chunk: Buffer) => {
      written += chunk.toString();
      if (written.includes('\n')) resolve(written.trim());
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready:\n${log}`)));
  });
  const display = `:${displayNumber}`;
  return { env: { DISPLAY: display }, stop: () => stopServer(xvfb, `DISPLAY=${display}`) };
}

/**
 * Starts weston with its X11 backend inside an X server. Its headless backend has no seat, and
 * without a seat wl-copy fails with "Missing a seat"; the X11 backend gives weston a keyboard, and
 * the keyboard focus that wl-copy and wl-paste need (weston has no wlr-data-control).
 */
export async function startWeston(x: DisplayServer): Promise<DisplayServer> {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'mfakit-wayland-'));
  const socket = 'wayland-mfakit';
  const weston = spawn(
    'weston',
    ['--backend=x11-backend.so', '--use-pixman', '--no-config', '--shell=kiosk-shell.so', `--socket=${socket}`],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...x.env, XDG_RUNTIME_DIR: runtimeDir } },
  );
  let log = '';
  weston.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  let exit: string | undefined;
  weston.once('exit', (code) => {
    exit = `weston exited (${code}) before it was ready:\n${log}`;
  });
  await waitUntil(
    () => {
      if (exit !== undefined) throw new Error(exit);
      return existsSync(join(runtimeDir, socket));
    },
    'the weston socket',
    10_000,
  );
  return {
    env: { WAYLAND_DISPLAY: socket, XDG_RUNTIME_DIR: runtimeDir },
    stop: async () => {
      await stopServer(weston, `XDG_RUNTIME_DIR=${runtimeDir}`);
      rmSync(runtimeDir, { recursive: true, force: true });
    },
  };
}
