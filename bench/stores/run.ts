/**
 * @module
 * `pnpm bench:stores`: registry throughput and latency on each store — memory, SQLite
 * (`synchronous` FULL, the default, and NORMAL) and PostgreSQL on loopback — in one run:
 * `verifySignIn`/s with 1 and 8 devices per user, enrollments/s, each with 1 and 4 concurrent
 * workers in one process (sign-ins with one device also with 16); on PostgreSQL also 1, 4 and 16
 * clients over 2 processes (16 also with `roundSize: 1`, every call on its own), and audit
 * appends alone (the chain tip's capacity). Writes bench/results/stores.json and .md.
 *
 * PostgreSQL: `MFAKIT_BENCH_POSTGRES_URL`, else a throwaway cluster (scripts/postgres-cluster.mjs).
 * Options: --duration-ms N (default 2000), --only memory,sqlite,postgres.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MemoryRegistryStore, type RegistryStore } from '@mfakit/registry';
import { PostgresRegistryStore } from '@mfakit/store-postgres';
import { SqliteRegistryStore } from '@mfakit/store-sqlite';
// @ts-expect-error: a plain .mjs script without types
import { startCluster, stopCluster } from '../../scripts/postgres-cluster.mjs';
import { newKeyHex, type Operation, runWorkload, type WorkloadOptions, type WorkloadResult } from './workload.js';

type StoreSpec =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string; synchronous: 'full' | 'normal' }
  | { kind: 'postgres'; url: string; schema: string; connections: number; roundSize?: number };

async function openStore(spec: StoreSpec, migrate: boolean): Promise<RegistryStore> {
  if (spec.kind === 'memory') return new MemoryRegistryStore();
  if (spec.kind === 'sqlite') return SqliteRegistryStore.open(spec.path, { synchronous: spec.synchronous, migrate });
  return PostgresRegistryStore.connect(spec.url, {
    schema: spec.schema,
    migrate,
    maxConnections: spec.connections,
    ...(spec.roundSize === undefined ? {} : { roundSize: spec.roundSize }),
  });
}

// Child process: one share of a multi-process case.
if (process.argv[2] === '--child') {
  const { spec, workload } = JSON.parse(process.argv[3] as string) as { spec: StoreSpec; workload: WorkloadOptions };
  const store = await openStore(spec, false);
  const lines = createInterface({ input: process.stdin });
  const result = await runWorkload(store, workload, async () => {
    console.log('ready');
    for await (const line of lines) if (line === 'go') break;
  });
  await store.close?.();
  // Exit only once the (long) result line is written: stdout to a pipe is asynchronous, and
  // process.exit() would cut it off.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

interface Row {
  store: string;
  operation: Operation;
  devices: number;
  clients: string;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

function summarise(store: string, workload: WorkloadOptions, clients: string, results: WorkloadResult[]): Row {
  const ops = results.reduce((sum, r) => sum + r.ops, 0);
  const elapsed = Math.max(...results.map((r) => r.elapsedMs));
  const latencies = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  return {
    store,
    operation: workload.operation,
    devices: workload.devices,
    clients,
    opsPerSec: Math.round((ops / elapsed) * 1000),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(2)),
  };
}

/** Runs `processes` children together on one store (already migrated), each with `workers` clients. */
async function multiProcess(spec: StoreSpec, workload: WorkloadOptions, processes: number): Promise<WorkloadResult[]> {
  const children = Array.from({ length: processes }, (_, i) =>
    spawn(
      process.execPath,
      [
        '--conditions=@mfakit/source',
        '--import',
        'tsx',
        import.meta.filename,
        '--child',
        JSON.stringify({ spec, workload: { ...workload, tag: `${workload.tag}p${i}` } }),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    ),
  );
  const outputs = children.map((child) => {
    const lines = createInterface({ input: child.stdout });
    const seen: string[] = [];
    const waiters: ((line: string) => void)[] = [];
    lines.on('line', (line) => {
      seen.push(line);
      for (const wake of waiters.splice(0)) wake(line);
    });
    return {
      child,
      next: () =>
        new Promise<string>((resolve, reject) => {
          child.once('exit', (code) => reject(new Error(`bench child exited (${code})`)));
          const index = seen.length;
          const check = () => (seen.length > index ? resolve(seen[index] as string) : waiters.push(check));
          check();
        }),
    };
  });
  await Promise.all(outputs.map((output) => output.next()));
  for (const { child } of outputs) child.stdin.write('go\n');
  const results = await Promise.all(outputs.map((output) => output.next()));
  return results.map((line) => JSON.parse(line) as WorkloadResult);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const durationIndex = args.indexOf('--duration-ms');
  const durationMs = durationIndex === -1 ? 2000 : Number(args[durationIndex + 1]);
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex === -1 ? ['memory', 'sqlite', 'postgres'] : String(args[onlyIndex + 1]).split(',');
  const dir = mkdtempSync(join(tmpdir(), 'mfakit-bench-stores-'));
  let cluster: { url: string } | undefined;
  const rows: Row[] = [];
  const keyHex = newKeyHex();
  const base = { keyHex, durationMs, tag: 't' };
  const inProcess: { operation: Operation; devices: number; workers: number }[] = [
    { operation: 'signin', devices: 1, workers: 1 },
    { operation: 'signin', devices: 1, workers: 4 },
    { operation: 'signin', devices: 1, workers: 16 },
    { operation: 'signin', devices: 8, workers: 1 },
    { operation: 'signin', devices: 8, workers: 4 },
    { operation: 'enroll', devices: 1, workers: 1 },
    { operation: 'enroll', devices: 1, workers: 4 },
  ];
  const fresh = (): string => `b_${randomBytes(4).toString('hex')}`;
  try {
    let postgresUrl = process.env.MFAKIT_BENCH_POSTGRES_URL;
    if (only.includes('postgres') && (postgresUrl === undefined || postgresUrl === '')) {
      cluster = (await startCluster()) as { url: string };
      postgresUrl = cluster.url;
    }
    const specs: { name: string; spec: () => StoreSpec }[] = [];
    if (only.includes('memory')) specs.push({ name: 'memory', spec: () => ({ kind: 'memory' }) });
    if (only.includes('sqlite')) {
      for (const synchronous of ['full', 'normal'] as const) {
        specs.push({
          name: `SQLite (${synchronous.toUpperCase()})`,
          spec: () => ({ kind: 'sqlite', path: join(dir, `${fresh()}.db`), synchronous }),
        });
      }
    }
    if (only.includes('postgres')) {
      specs.push({
        name: 'PostgreSQL',
        spec: () => ({ kind: 'postgres', url: postgresUrl as string, schema: fresh(), connections: 10 }),
      });
    }
    for (const { name, spec } of specs) {
      for (const shape of inProcess) {
        const workload = { ...base, ...shape };
        const store = await openStore(spec(), true);
        const result = await runWorkload(store, workload);
        await store.close?.();
        rows.push(summarise(name, workload, `${shape.workers} × 1 process`, [result]));
        console.log(JSON.stringify(rows.at(-1)));
      }
    }
    if (only.includes('postgres')) {
      // The last sign-in row again with every call on its own (roundSize 1): what the rounds gain.
      for (const [operation, clients, roundSize] of [
        ['signin', 1, undefined],
        ['signin', 4, undefined],
        ['signin', 16, undefined],
        ['signin', 16, 1],
        ['append', 16, undefined],
      ] as const) {
        const processes = clients === 1 ? 1 : 2;
        const spec: StoreSpec = {
          kind: 'postgres',
          url: postgresUrl as string,
          schema: fresh(),
          connections: 10,
          ...(roundSize === undefined ? {} : { roundSize }),
        };
        await (await openStore(spec, true)).close?.();
        const workload = { ...base, operation, devices: 1, workers: clients / processes };
        const results = await multiProcess(spec, workload, processes);
        const label = `${clients / processes} × ${processes} ${processes === 1 ? 'process (child)' : 'processes'}`;
        const store = roundSize === undefined ? 'PostgreSQL' : `PostgreSQL (rounds of ${roundSize})`;
        rows.push(summarise(store, workload, label, results));
        console.log(JSON.stringify(rows.at(-1)));
      }
    }
  } finally {
    if (cluster !== undefined) stopCluster(cluster);
    rmSync(dir, { recursive: true, force: true });
  }
  const machine = `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} logical cores), ${new Date().toISOString()}`;
  const label = { signin: 'verifySignIn', enroll: 'enrollment', append: 'audit append' } as const;
  const table = [
    '| store | operation | devices | clients | ops/s | p50 ms | p99 ms |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.store} | ${label[r.operation]} | ${r.operation === 'signin' ? r.devices : '–'} | ${r.clients} | ${r.opsPerSec.toLocaleString('en')} | ${r.p50Ms} | ${r.p99Ms} |`,
    ),
  ].join('\n');
  console.log(`\n${table}\n\n${machine}`);
  const results = join(import.meta.dirname, '..', 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(
    join(results, 'stores.json'),
    `${JSON.stringify({ machine, durationMs: base.durationMs, rows }, null, 2)}\n`,
  );
  writeFileSync(join(results, 'stores.md'), `${table}\n\n${machine}\n`);
}

// A child runs only its share (above), never the whole bench.
if (process.argv[2] !== '--child') await main();
