// The README's start command (`pnpm start` → scripts/start.mjs): builds the bundle when it is
// missing or older than a source file, then runs the app from it.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, REPO_ROOT } from './run-cli.js';

const START = join(REPO_ROOT, 'scripts/start.mjs');
const BUNDLE = join(REPO_ROOT, 'apps/authenticator/dist/bundle/main.js');
const VERSION = JSON.parse(readFileSync(join(REPO_ROOT, 'apps/authenticator/package.json'), 'utf8')).version;

const start = (...args: string[]) =>
  spawnSync(process.execPath, [START, ...args], { cwd: REPO_ROOT, env: baseEnv(), encoding: 'utf8' });

describe('scripts/start.mjs', () => {
  it('rebuilds a bundle older than its sources, then runs the app from it', () => {
    start('--version');
    // Make the bundle look older than every source file.
    utimesSync(BUNDLE, new Date(2000, 0, 1), new Date(2000, 0, 1));
    const rebuilt = start('--version');
    expect(rebuilt.stderr).toContain('Rebuilding mfakit (sources changed)');
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout.trim()).toBe(VERSION);
    expect(statSync(BUNDLE).mtimeMs).toBeGreaterThan(new Date(2020, 0, 1).getTime());

    const again = start('--version');
    expect(again.stderr).toBe('');
    expect(again.stdout.trim()).toBe(VERSION);
  }, 60_000);

  it('passes arguments and the exit code through', () => {
    const result = start('no-such-command');
    expect(result.status).toBe(64); // EX_USAGE, as documented in mfakit --help
    expect(result.stderr).toContain('unknown command "no-such-command"');
  });
});
