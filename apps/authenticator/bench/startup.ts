/**
 * Start-up figures of the `mfakit` command (issue 6 targets: first frame < 300 ms with 200
 * accounts, `mfakit code` < 150 ms). Not a test: prints medians and writes JSON.
 *
 *   node --conditions=@mfakit/source --import tsx apps/authenticator/bench/startup.ts
 *   dbus-run-session -- bash scripts/with-keyring.sh node ... bench/startup.ts   # adds keychain figures
 *
 * Measures the built CLI (`bin/mfakit.js` → the esbuild bundle in dist/bundle, built here first,
 * as `pnpm start` and an installed `mfakit` run it) and the source run through tsx (`pnpm dev`). The vault has 200
 * accounts and is unlocked with a passphrase at scrypt N = 2^15 (the lowest the vault accepts,
 * ≈ 0.1 s of the figure) and, when a Secret Service is reachable, with a keychain slot.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSecret } from '@mfakit/core';
import { createVault } from '@mfakit/vault';

const APP = resolve(import.meta.dirname, '..');
const REPO = resolve(APP, '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PASSPHRASE = 'bench passphrase';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

async function makeVault(dir: string, keychain: boolean): Promise<string> {
  const path = join(dir, keychain ? 'keychain.mfakit' : 'passphrase.mfakit');
  const vault = keychain
    ? await createVault({ path, keychain: true })
    : await createVault({ path, passphrase: PASSPHRASE, scryptLogN: 15 });
  for (let index = 0; index < 200; index++) {
    vault.addAccount({ issuer: `Service ${index}`, name: `user${index}@example.com`, secret: generateSecret() });
  }
  await vault.save();
  vault.close();
  return path;
}

const launchers: Record<string, string[]> = {
  built: [join(APP, 'bin/mfakit.js')],
  source: ['--conditions=@mfakit/source', '--import', 'tsx', join(APP, 'src/main.ts')],
};

function timeCode(args: string[], env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, [...args, 'code', 'Service 123'], { cwd: REPO, env, encoding: 'utf8' });
    times.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`mfakit code failed: ${result.stderr}`);
  }
  return median(times);
}

async function timeFirstFrame(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const socket = `mfakit-bench-${process.pid}`;
  const tmux = (...rest: string[]) => execFileSync('tmux', ['-L', socket, ...rest], { encoding: 'utf8' });
  const times: number[] = [];
  const command = [process.execPath, ...args].map((part) => `'${part}'`).join(' ');
  const envArgs = Object.entries(env)
    .filter(([name]) => name.startsWith('MFAKIT_') || name === 'DBUS_SESSION_BUS_ADDRESS')
    .flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  try {
    // Keeps the server alive between runs (it exits with its last session).
    tmux('new-session', '-d', '-s', 'keep', 'sleep 600');
    for (let run = 0; run < RUNS; run++) {
      const session = `s${run}`;
      const start = performance.now();
      tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-c', REPO, ...envArgs, `${command}; sleep 30`);
      for (;;) {
        if (tmux('capture-pane', '-p', '-t', session).includes('200 accounts')) break;
        if (performance.now() - start > 20_000) throw new Error('no first frame after 20 s');
        await new Promise((done) => setTimeout(done, 2));
      }
      times.push(performance.now() - start);
      tmux('kill-session', '-t', session);
    }
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
  }
  return median(times);
}

execFileSync(process.execPath, [join(APP, 'scripts/bundle.mjs')], { stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'mfakit-bench-'));
const vaults: Record<string, string> = { 'passphrase (scrypt 2^15)': await makeVault(dir, false) };
if (process.env.DBUS_SESSION_BUS_ADDRESS) {
  try {
    vaults.keychain = await makeVault(dir, true);
  } catch (error) {
    console.error(`no keychain figures: ${(error as Error).message}`);
  }
}

const results: { launcher: string; unlock: string; codeMs: number; firstFrameMs: number }[] = [];
// BENCH_LAUNCHERS=built measures only the built CLI (quicker while working on start-up).
const only = process.env.BENCH_LAUNCHERS?.split(',');
for (const [launcher, args] of Object.entries(launchers)) {
  if (only !== undefined && !only.includes(launcher)) continue;
  for (const [unlock, path] of Object.entries(vaults)) {
    const env = {
      ...process.env,
      MFAKIT_VAULT: path,
      ...(unlock === 'keychain' ? { MFAKIT_PASSPHRASE: '' } : { MFAKIT_PASSPHRASE: PASSPHRASE }),
    };
    const codeMs = timeCode(args, env);
    const firstFrameMs = await timeFirstFrame(args, env);
    results.push({ launcher, unlock, codeMs: Math.round(codeMs), firstFrameMs: Math.round(firstFrameMs) });
    console.log(
      `${launcher.padEnd(7)} ${unlock.padEnd(25)} code ${Math.round(codeMs)} ms   first frame ${Math.round(firstFrameMs)} ms`,
    );
  }
}
const nodeStart = (() => {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(performance.now() - start);
  }
  return Math.round(median(times));
})();
console.log(`node -e 0 (process start alone): ${nodeStart} ms; medians of ${RUNS} runs, 200 accounts`);
// What the first-frame method costs by itself: a process that prints the awaited text at once.
const tmuxBaselineMs = Math.round(
  await timeFirstFrame(['-e', 'console.log("200 accounts")'], { MFAKIT_VAULT: '' } as NodeJS.ProcessEnv),
);
console.log(`tmux method baseline (node printing the text at once): ${tmuxBaselineMs} ms`);
const output = join(APP, 'bench/results.json');
writeFileSync(
  output,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, accounts: 200, nodeStartMs: nodeStart, tmuxBaselineMs, results }, null, 2)}\n`,
);
console.log(`wrote ${output}`);
