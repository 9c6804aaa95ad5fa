/**
 * Start-up figures of the `mfakit` command (targets: first frame < 300 ms with 200
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
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Each run times the command and, right before it, a baseline process; the figures are the
 * medians of both and of their per-run difference, which is what the app itself adds and moves
 * far less than either when the shared machine's speed drifts.
 */
interface Timing {
  ms: number;
  baselineMs: number;
  overBaselineMs: number;
  /** First frame only: from the process's own start to its first write of the list (bench/first-frame-probe.mjs). */
  inProcessMs?: number;
}

function timing(pairs: [number, number][]): Timing {
  return {
    ms: Math.round(median(pairs.map(([, app]) => app))),
    baselineMs: Math.round(median(pairs.map(([baseline]) => baseline))),
    overBaselineMs: Math.round(median(pairs.map(([baseline, app]) => app - baseline))),
  };
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: REPO, env, encoding: 'utf8' });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return elapsed;
}

/** `mfakit code` as a whole process; baseline: `node -e 0`. */
function timeCode(args: string[], env: NodeJS.ProcessEnv): Timing {
  const pairs: [number, number][] = [];
  for (let run = 0; run < RUNS; run++) {
    pairs.push([timeProcess(['-e', '0'], env), timeProcess([...args, 'code', 'Service 123'], env)]);
  }
  return timing(pairs);
}

/**
 * From `tmux new-session` until "200 accounts" is on the tmux screen; baseline: the same for a node
 * process that prints that text at once (tmux, a shell and a node start).
 */
async function timeFirstFrame(args: string[], env: NodeJS.ProcessEnv): Promise<Timing> {
  const socket = `mfakit-bench-${process.pid}`;
  const tmux = (...rest: string[]) => execFileSync('tmux', ['-L', socket, ...rest], { encoding: 'utf8' });
  const envArgs = Object.entries(env)
    .filter(([name]) => name.startsWith('MFAKIT_') || name === 'DBUS_SESSION_BUS_ADDRESS')
    .flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  const shellCommand = (parts: string[]) => [process.execPath, ...parts].map((part) => `'${part}'`).join(' ');
  let sessions = 0;
  const frame = async (command: string) => {
    const session = `s${sessions++}`;
    const start = performance.now();
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-c', REPO, ...envArgs, `${command}; sleep 30`);
    for (;;) {
      if (tmux('capture-pane', '-p', '-t', session).includes('200 accounts')) break;
      if (performance.now() - start > 20_000) throw new Error('no first frame after 20 s');
      await new Promise((done) => setTimeout(done, 2));
    }
    const elapsed = performance.now() - start;
    tmux('kill-session', '-t', session);
    return elapsed;
  };
  const probe = join(dir, `probe-${Date.now()}.txt`);
  const probed = ['--import', join(APP, 'bench/first-frame-probe.mjs'), ...args];
  envArgs.push('-e', `MFAKIT_BENCH_PROBE=${probe}`);
  const pairs: [number, number][] = [];
  try {
    // Keeps the server alive between runs (it exits with its last session).
    tmux('new-session', '-d', '-s', 'keep', 'sleep 600');
    for (let run = 0; run < RUNS; run++) {
      const baseline = await frame(shellCommand(['-e', 'console.log("200 accounts")']));
      pairs.push([baseline, await frame(shellCommand(probed))]);
    }
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
  }
  const inProcess = readFileSync(probe, 'utf8').trim().split('\n').map(Number);
  if (inProcess.length !== RUNS) throw new Error(`the probe saw ${inProcess.length} first frames in ${RUNS} runs`);
  return { ...timing(pairs), inProcessMs: Math.round(median(inProcess)) };
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

const results: { launcher: string; unlock: string; code: Timing; firstFrame: Timing }[] = [];
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
    const code = timeCode(args, env);
    const firstFrame = await timeFirstFrame(args, env);
    results.push({ launcher, unlock, code, firstFrame });
    console.log(
      `${launcher.padEnd(7)} ${unlock.padEnd(25)} code ${code.ms} ms (node -e 0: ${code.baselineMs}, +${code.overBaselineMs})` +
        `   first frame: in-process ${firstFrame.inProcessMs} ms, in tmux ${firstFrame.ms} ms (baseline ${firstFrame.baselineMs}, +${firstFrame.overBaselineMs})`,
    );
  }
}
console.log(`medians of ${RUNS} runs, 200 accounts`);
const output = join(APP, 'bench/results.json');
writeFileSync(
  output,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, accounts: 200, results }, null, 2)}\n`,
);
console.log(`wrote ${output}`);
