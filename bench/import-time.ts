/**
 * @module
 * `pnpm bench:import`: how long `import('@mfakit/registry')` takes in a fresh Node process, as a
 * server that installed the published packages would load it — from the built `dist/` (run
 * `pnpm build` first), not through tsx. Each round starts one process that times its own dynamic
 * import with `performance.now()` and reports how many modules of which packages it loaded
 * (counted by a module-resolution hook), so what a change removed from the path is visible too.
 *
 * Options: --rounds N (default 21), --module NAME (default @mfakit/registry; repeatable).
 * Prints a table and writes bench/results/import-time.json.
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

function runProcess(source: string, moduleName: string): Record<string, unknown> {
  const output = execFileSync(process.execPath, ['--input-type=module', '--no-warnings', '-e', source], {
    cwd: benchDirectory,
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

function parseArgs(argv: string[]): { rounds: number; modules: string[] } {
  let rounds = 21;
  const modules: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--rounds') rounds = Number(argv[++i]);
    else if (argument === '--module') modules.push(String(argv[++i]));
    else if (argument !== '--') throw new Error(`unknown option ${argument}`);
  }
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  return { rounds, modules: modules.length > 0 ? modules : ['@mfakit/registry'] };
}

function main(): void {
  const { rounds, modules } = parseArgs(process.argv.slice(2));
  if (!existsSync(join(benchDirectory, '../packages/registry/dist/index.js'))) {
    throw new Error('no dist/: run `npx -y pnpm@10 build` first (this measures the built packages)');
  }
  const results = [];
  for (const moduleName of modules) {
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) times.push(runProcess(PLAIN, moduleName).ms as number);
    const probe = runProcess(PROBE, moduleName);
    const [q1, q3] = quartiles(times);
    const result = { module: moduleName, medianMs: median(times), q1Ms: q1, q3Ms: q3, rounds, modules: probe.modules };
    results.push(result);
    console.log(
      `${moduleName}: import ${result.medianMs.toFixed(1)} ms median (IQR ${q1.toFixed(1)}–${q3.toFixed(1)} ms, ${rounds} processes)`,
    );
    console.log(`  modules loaded by package: ${JSON.stringify(probe.modules)}`);
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
