/**
 * Start-up figures of the `mfakit` command (targets: first frame < 300 ms with 200
 * accounts, `mfakit code` < 150 ms). Not a test: prints medians and writes JSON.
 *
 *   node --conditions=@mfakit/source --import tsx apps/authenticator/bench/startup.ts
 *   dbus-run-session -- bash scripts/with-keyring.sh node ... bench/startup.ts   # adds keychain figures
 *
 * Measures the built CLI (`bin/mfakit.js` → the esbuild bundle in dist/bundle, built here first,
 * as `pnpm start` and an installed `mfakit` run it), the same app started from a V8 startup snapshot
 * (bench/snapshot, built here too; an experiment, see the README) and the source run through tsx
 * (`pnpm dev`). The vault has 200 accounts and is unlocked with a passphrase at scrypt N = 2^15 (the
 * lowest the vault accepts, ≈ 0.1 s of the figure) and, when a Secret Service is reachable, with a
 * keychain slot. BENCH_RUNS (default 7), BENCH_LAUNCHERS (e.g. built,snapshot) and BENCH_OUTPUT
 * (the JSON file) change what is run and where it goes.
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
  // The start-up snapshot experiment (bench/snapshot): the same app, deserialised from a V8 heap.
  snapshot: ['--snapshot-blob', join(APP, 'dist/snapshot/mfakit.blob'), '--'],
  source: ['--conditions=@mfakit/source', '--import', 'tsx', join(APP, 'src/main.ts')],
};

/**
 * Each run times every launcher in turn (the order rotates from run to run), each right after a
 * baseline process of its own; the figures are the medians of both and of their per-run difference,
 * which is what the app itself adds and moves far less than either when the shared machine's speed
 * drifts. `vsBuilt` is the median of the per-run ratio to the bundle's time in the same run.
 */
interface Timing {
  ms: number;
  baselineMs: number;
  overBaselineMs: number;
  vsBuilt?: number;
  /** First frame only: from the process's own start to its first write of the list (bench/first-frame-probe.cjs). */
  inProcessMs?: number;
  inProcessVsBuilt?: number;
  /** First frame only: CPU time (user + system, all threads) the process had used by its first frame. */
  inProcessCpuMs?: number;
  inProcessCpuVsBuilt?: number;
}

type Launchers = Record<string, string[]>;
type Runs = Record<string, [baseline: number, app: number][]>;

/** Per launcher, its timings, with its ratios to `built` run by run when both were measured. */
function timings(
  runs: Runs,
  inProcess?: Record<string, number[]>,
  cpu?: Record<string, number[]>,
): Record<string, Timing> {
  const ratio = (mine: number[], built: number[] | undefined) =>
    built === undefined
      ? undefined
      : Math.round(median(mine.map((value, run) => value / (built[run] as number))) * 100) / 100;
  const result: Record<string, Timing> = {};
  for (const [launcher, pairs] of Object.entries(runs)) {
    const timing: Timing = {
      ms: Math.round(median(pairs.map(([, app]) => app))),
      baselineMs: Math.round(median(pairs.map(([baseline]) => baseline))),
      overBaselineMs: Math.round(median(pairs.map(([baseline, app]) => app - baseline))),
    };
    const vsBuilt = ratio(
      pairs.map(([, app]) => app),
      runs.built?.map(([, app]) => app),
    );
    if (vsBuilt !== undefined) timing.vsBuilt = vsBuilt;
    const frames = inProcess?.[launcher];
    if (frames !== undefined) {
      timing.inProcessMs = Math.round(median(frames));
      const inProcessVsBuilt = ratio(frames, inProcess?.built);
      if (inProcessVsBuilt !== undefined) timing.inProcessVsBuilt = inProcessVsBuilt;
    }
    const cpuTimes = cpu?.[launcher];
    if (cpuTimes !== undefined) {
      timing.inProcessCpuMs = Math.round(median(cpuTimes));
      const cpuVsBuilt = ratio(cpuTimes, cpu?.built);
      if (cpuVsBuilt !== undefined) timing.inProcessCpuVsBuilt = cpuVsBuilt;
    }
    result[launcher] = timing;
  }
  return result;
}

/** The launchers in a different order each run, so that none always follows another. */
function rotated(names: string[], run: number): string[] {
  const shift = run % names.length;
  return [...names.slice(shift), ...names.slice(0, shift)];
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: REPO, env, encoding: 'utf8' });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return elapsed;
}

/** `mfakit code` as a whole process; baseline: `node -e 0`. */
function timeCode(launchers: Launchers, env: NodeJS.ProcessEnv): Record<string, Timing> {
  const runs: Runs = {};
  for (let run = 0; run < RUNS; run++) {
    for (const launcher of rotated(Object.keys(launchers), run)) {
      const args = launchers[launcher] as string[];
      const pair: [number, number] = [
        timeProcess(['-e', '0'], env),
        timeProcess([...args, 'code', 'Service 123'], env),
      ];
      runs[launcher] = [...(runs[launcher] ?? []), pair];
    }
  }
  return timings(runs);
}

/**
 * From `tmux new-session` until "200 accounts" is on the tmux screen; baseline: the same for a node
 * process that prints that text at once (tmux, a shell and a node start).
 */
async function timeFirstFrame(launchers: Launchers, env: NodeJS.ProcessEnv): Promise<Record<string, Timing>> {
  const socket = `mfakit-bench-${process.pid}`;
  const tmux = (...rest: string[]) => execFileSync('tmux', ['-L', socket, ...rest], { encoding: 'utf8' });
  const envArgs = Object.entries(env)
    .filter(([name]) => name.startsWith('MFAKIT_') || name === 'DBUS_SESSION_BUS_ADDRESS')
    .flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  const shellCommand = (parts: string[]) => [process.execPath, ...parts].map((part) => `'${part}'`).join(' ');
  let sessions = 0;
  const frame = async (command: string, extraEnv: string[] = []) => {
    const session = `s${sessions++}`;
    const start = performance.now();
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '80',
      '-y',
      '24',
      '-c',
      REPO,
      ...envArgs,
      ...extraEnv,
      `${command}; sleep 30`,
    );
    for (;;) {
      if (tmux('capture-pane', '-p', '-t', session).includes('200 accounts')) break;
      if (performance.now() - start > 20_000) throw new Error('no first frame after 20 s');
      await new Promise((done) => setTimeout(done, 2));
    }
    const elapsed = performance.now() - start;
    tmux('kill-session', '-t', session);
    return elapsed;
  };
  const probes: Record<string, string> = {};
  const runs: Runs = {};
  try {
    // Keeps the server alive between runs (it exits with its last session).
    tmux('new-session', '-d', '-s', 'keep', 'sleep 600');
    for (let run = 0; run < RUNS; run++) {
      for (const launcher of rotated(Object.keys(launchers), run)) {
        probes[launcher] ??= join(dir, `probe-${launcher}-${Date.now()}.txt`);
        const probed = ['--require', join(APP, 'bench/first-frame-probe.cjs'), ...(launchers[launcher] as string[])];
        const baseline = await frame(shellCommand(['-e', 'console.log("200 accounts")']));
        const app = await frame(shellCommand(probed), ['-e', `MFAKIT_BENCH_PROBE=${probes[launcher]}`]);
        runs[launcher] = [...(runs[launcher] ?? []), [baseline, app]];
      }
    }
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
  }
  const inProcess: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (const [launcher, probe] of Object.entries(probes)) {
    // One line a first frame: "<ms since the process started> <CPU ms used by then>".
    const lines = readFileSync(probe, 'utf8').trim().split('\n');
    if (lines.length !== RUNS)
      throw new Error(`the probe saw ${lines.length} first frames of ${launcher} in ${RUNS} runs`);
    inProcess[launcher] = lines.map((line) => Number(line.split(' ')[0]));
    cpu[launcher] = lines.map((line) => Number(line.split(' ')[1]));
  }
  return timings(runs, inProcess, cpu);
}

execFileSync(process.execPath, [join(APP, 'scripts/bundle.mjs')], { stdio: 'inherit' });
execFileSync(process.execPath, [join(APP, 'bench/snapshot/build.mjs')], { stdio: 'inherit' });
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
// BENCH_LAUNCHERS=built,snapshot measures only those (quicker while working on start-up).
const only = process.env.BENCH_LAUNCHERS?.split(',');
const chosen = Object.fromEntries(
  Object.entries(launchers).filter(([launcher]) => only === undefined || only.includes(launcher)),
);
const ratio = (value: number | undefined) => (value === undefined ? '' : ` ×${value.toFixed(2)}`);
for (const [unlock, path] of Object.entries(vaults)) {
  const env = {
    ...process.env,
    MFAKIT_VAULT: path,
    ...(unlock === 'keychain' ? { MFAKIT_PASSPHRASE: '' } : { MFAKIT_PASSPHRASE: PASSPHRASE }),
  };
  const code = timeCode(chosen, env);
  const firstFrame = await timeFirstFrame(chosen, env);
  for (const launcher of Object.keys(chosen)) {
    const c = code[launcher] as Timing;
    const f = firstFrame[launcher] as Timing;
    results.push({ launcher, unlock, code: c, firstFrame: f });
    console.log(
      `${launcher.padEnd(8)} ${unlock.padEnd(25)} code ${c.ms} ms${ratio(c.vsBuilt)} (node -e 0: ${c.baselineMs}, +${c.overBaselineMs})` +
        `   first frame: in-process ${f.inProcessMs} ms${ratio(f.inProcessVsBuilt)} (CPU ${f.inProcessCpuMs} ms${ratio(f.inProcessCpuVsBuilt)}), in tmux ${f.ms} ms (baseline ${f.baselineMs}, +${f.overBaselineMs})`,
    );
  }
}
console.log(`medians of ${RUNS} runs, 200 accounts; ×: the median per-run ratio to the bundle (built)`);
// BENCH_OUTPUT: another file for the JSON (the snapshot experiment's run is in bench/snapshot/results.json).
const output = resolve(process.env.BENCH_OUTPUT ?? join(APP, 'bench/results.json'));
writeFileSync(
  output,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, accounts: 200, results }, null, 2)}\n`,
);
console.log(`wrote ${output}`);
