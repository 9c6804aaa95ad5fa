// The README's start command (`pnpm start` → scripts/start.mjs): builds the bundle when it is
// missing or older than a source file, then runs the app from it.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, REPO_ROOT, tempDir } from './run-cli.js';

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

  it('install-bin links mfakit into a bin directory: quiet, arguments and exit code through, removable', () => {
    const bin = tempDir();
    const install = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/install-bin.mjs'), '--dir', bin], {
      cwd: REPO_ROOT,
      env: baseEnv(),
      encoding: 'utf8',
    });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stderr).toContain(`Linked ${join(bin, 'mfakit')}`);
    expect(lstatSync(join(bin, 'mfakit')).isSymbolicLink()).toBe(true);
    // Run through the link, by name, as a shell would find it on PATH.
    const env = { ...baseEnv(), PATH: `${bin}:${process.env.PATH ?? ''}` };
    const version = spawnSync('mfakit', ['--version'], { env, encoding: 'utf8' });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout).toBe(`${VERSION}\n`);
    expect(version.stderr).toBe('');
    const usage = spawnSync('mfakit', ['--', 'no-such-command'], { env, encoding: 'utf8' });
    expect(usage.status).toBe(64);
    // Never replaces a file that is not its own link.
    const other = tempDir();
    writeFileSync(join(other, 'mfakit'), '#!/bin/sh\n');
    const refused = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/install-bin.mjs'), '--dir', other], {
      env: baseEnv(),
      encoding: 'utf8',
    });
    expect(refused.status).toBe(1);
    expect(readFileSync(join(other, 'mfakit'), 'utf8')).toBe('#!/bin/sh\n');
    const removed = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'scripts/install-bin.mjs'), '--dir', bin, '--remove'],
      { env: baseEnv(), encoding: 'utf8' },
    );
    expect(removed.status).toBe(0);
    expect(existsSync(join(bin, 'mfakit'))).toBe(false);
  }, 60_000);
});
