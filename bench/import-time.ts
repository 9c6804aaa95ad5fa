/**
 * @module
 * `pnpm bench:import`: how long `import('@mfakit/registry')` takes in a fresh Node process, as a
 * server that installed the published packages would load it — from the built `dist/` (run
 * `pnpm build` first), not through tsx. Each round starts one process that times its own dynamic
 * import with `performance.now()` and reports how many modules of which packages it loaded
 * (counted by a module-resolution hook), so what a change removed from the path is visible too.
 *
 * Options: --rounds N (default 21), --module NAME (default @mfakit/registry; repeatable),
 * --baseline DIR (another built checkout of the repository, e.g. a `git worktree` of an older
 * commit: its rounds are interleaved with this checkout's, so both see the same machine load).
 * Prints the figures and writes bench/results/import-time.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDirectory = dirname(fileURLToPath(import.meta.url));

/** Runs inside the measured process: registers a resolve hook that counts modules, then imports. */
const PROBE = `
import { register } from 'node:module';
const counts = new Map();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => {
  const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(url.replace(/.*\\/node_modules\\/\\.pnpm\\/[^/]+/, '')) ?? /\\/packages\\/([^/]+)\\//.exec(url);
  const name = match ? match[1] : url.startsWith('node:') ? 'node:' : 'other';
  counts.set(name, (counts.get(name) ?? 0) + 1);
});
port1.unref();
register('data:text/javascript,' + encodeURIComponent(
  'let port; export function initialize(data) { port = data.port; }' +
  'export async function load(url, context, next) { port.postMessage(url); return next(url, context); }'
), import.meta.url, { data: { port: port2 }, transferList: [port2] });
const started = performance.now();
await import(process.env.MFAKIT_IMPORT);
const ms = performance.now() - started;
await new Promise((resolve) => setTimeout(resolve, 20));
console.log(JSON.stringify({ ms, modules: Object.fromEntries(counts) }));
`;

/** The same process without the hook, timing only the import (the hook slows loading a little). */
const PLAIN = `
const started = performance.now();
await import(process.env.MFAKIT_IMPORT);
console.log(JSON.stringify({ ms: performance.now() - started }));
`;

function runProcess(source: string, moduleName: string, cwd = benchDirectory): Record<string, unknown> {
  const output = execFileSync(process.execPath, ['--input-type=module', '--no-warnings', '-e', source], {
    cwd,
    env: { ...process.env, MFAKIT_IMPORT: moduleName, NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').at(-1) as string) as Record<string, unknown>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function quartiles(values: number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  return [sorted[Math.floor(sorted.length / 4)] as number, sorted[Math.floor((sorted.length * 3) / 4)] as number];
}

function parseArgs(argv: string[]): { rounds: number; modules: string[]; baseline: string | undefined } {
  let rounds = 21;
  let baseline: string | undefined;
  const modules: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--rounds') rounds = Number(argv[++i]);
    else if (argument === '--module') modules.push(String(argv[++i]));
    else if (argument === '--baseline') baseline = String(argv[++i]);
    else if (argument !== '--') throw new Error(`unknown option ${argument}`);
  }
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  return { rounds, modules: modules.length > 0 ? modules : ['@mfakit/registry'], baseline };
}

interface Measurement {
  medianMs: number;
  q1Ms: number;
  q3Ms: number;
  modules: unknown;
}

function summarise(times: number[], modules: unknown): Measurement {
  const [q1, q3] = quartiles(times);
  return { medianMs: median(times), q1Ms: q1, q3Ms: q3, modules };
}

function describe(label: string, measurement: Measurement): void {
  const { medianMs, q1Ms, q3Ms, modules } = measurement;
  console.log(`  ${label}: ${medianMs.toFixed(1)} ms median (IQR ${q1Ms.toFixed(1)}–${q3Ms.toFixed(1)} ms)`);
  console.log(`    modules loaded, by package: ${JSON.stringify(modules)}`);
}

function main(): void {
  const { rounds, modules, baseline } = parseArgs(process.argv.slice(2));
  for (const root of [join(benchDirectory, '..'), ...(baseline === undefined ? [] : [baseline])]) {
    if (!existsSync(join(root, 'packages/registry/dist/index.js'))) {
      throw new Error(`no dist/ in ${root}: run \`npx -y pnpm@10 build\` there first (this measures built packages)`);
    }
  }
  const baselineBench = baseline === undefined ? undefined : join(baseline, 'bench');
  const results = [];
  for (const moduleName of modules) {
    const times: number[] = [];
    const baselineTimes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      times.push(runProcess(PLAIN, moduleName).ms as number);
      if (baselineBench !== undefined) baselineTimes.push(runProcess(PLAIN, moduleName, baselineBench).ms as number);
    }
    const current = summarise(times, runProcess(PROBE, moduleName).modules);
    console.log(`${moduleName}: import in a fresh process, ${rounds} rounds`);
    describe('this checkout', current);
    const result: Record<string, unknown> = { module: moduleName, rounds, current };
    if (baselineBench !== undefined) {
      const before = summarise(baselineTimes, runProcess(PROBE, moduleName, baselineBench).modules);
      describe(`baseline (${baseline})`, before);
      result.baseline = before;
      // Per-round pairs: each pair ran back to back, so their ratio survives load changes.
      const ratios = times.map((time, i) => (baselineTimes[i] as number) / time);
      result.medianRatio = median(ratios);
      console.log(`  baseline ÷ this checkout, median of paired rounds: ${median(ratios).toFixed(2)}×`);
    }
    results.push(result);
  }
  const machine = { node: process.version, cpu: `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} logical cores)` };
  const directory = join(benchDirectory, 'results');
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, 'import-time.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`,
  );
}

main();
