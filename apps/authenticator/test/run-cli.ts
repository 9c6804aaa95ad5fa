/**
 * Spawns the real `mfakit` CLI from source (tsx + the @mfakit/source condition), as a user would run
 * it from a clone, with its own environment: no variable of the test runner leaks in except PATH,
 * HOME and the D-Bus session (for the keychain tests).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const MAIN = join(REPO_ROOT, 'apps/authenticator/src/main.ts');
// MFAKIT_TEST_SNAPSHOT=1 runs every spawned CLI from the start-up snapshot experiment's blob instead
// (build it first: node apps/authenticator/bench/snapshot/build.mjs); see the README, "Start-up time".
export const NODE_ARGS = process.env.MFAKIT_TEST_SNAPSHOT
  ? ['--snapshot-blob', join(REPO_ROOT, 'apps/authenticator/dist/snapshot/mfakit.blob'), '--']
  : ['--conditions=@mfakit/source', '--import', 'tsx', MAIN];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
    NO_COLOR: '1',
    MFAKIT_STATE_DIR: join(tmpdir(), 'mfakit-app-state'), // the vault's rollback records, not in the real HOME
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export function runCli(args: readonly string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: REPO_ROOT, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mfakit-app-'));
}
