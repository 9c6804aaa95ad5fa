#!/usr/bin/env node
// A throwaway PostgreSQL cluster for the tests: initdb in a temp dir, a server on a free loopback
// port (no Unix socket outside the temp dir), password auth over TCP, stopped and deleted at the end.
// initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user (Debian's
// postgresql package creates it). Used by scripts/run-tests.mjs around the vitest runs, and by
// tests that must stop and restart a server of their own.
//   node scripts/postgres-cluster.mjs start   → prints `export MFAKIT_TEST_POSTGRES_URL=…` lines
//   node scripts/postgres-cluster.mjs stop <dir>
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The directory of initdb/pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<newest>/bin. */
export function findPostgresBin() {
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim() !== '') return join(which.stdout.trim(), '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? undefined : join(root, versions[0], 'bin');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function runPg(bin, tool, args) {
  const command = join(bin, tool);
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
}

/**
 * Starts a cluster; resolves to { url, dir, port, password, bin }. `url` is the superuser's,
 * on database `postgres`.
 */
export async function startCluster(options = {}) {
  const bin = options.bin ?? findPostgresBin();
  if (bin === undefined) throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'mfakit-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${password}\n`);
  if (asRoot) {
    execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    chmodSync(dir, 0o700);
  }
  runPg(bin, 'initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    `--pwfile=${passwordFile}`,
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  rmSync(passwordFile);
  const port = options.port ?? (await freePort());
  const settings = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${dir}'`,
    '-c max_connections=200',
    '-c shared_buffers=64MB',
    // Throwaway data: no fsync (the crash tests kill clients, not this server).
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  runPg(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return { url, dir, data, port, password, bin, settings };
}

/** Stops the server of a cluster started by `startCluster` (fast shutdown), keeping its files. */
export function stopServer(cluster, mode = 'fast') {
  runPg(cluster.bin, 'pg_ctl', ['-D', cluster.data, '-m', mode, '-w', '-t', '60', 'stop']);
}

/** Starts the server of a stopped cluster again, on the same port. */
export function restartServer(cluster) {
  runPg(cluster.bin, 'pg_ctl', [
    '-D',
    cluster.data,
    '-l',
    join(cluster.dir, 'server.log'),
    '-o',
    cluster.settings,
    '-w',
    '-t',
    '60',
    'start',
  ]);
}

/** Stops the server (immediately) and deletes the cluster's files. */
export function stopCluster(cluster) {
  try {
    runPg(cluster.bin, 'pg_ctl', ['-D', cluster.data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
  } catch {
    // Already stopped.
  }
  rmSync(cluster.dir, { recursive: true, force: true });
}

if (process.argv[1]?.endsWith('postgres-cluster.mjs')) {
  const [command, dir] = process.argv.slice(2);
  if (command === 'start') {
    const cluster = await startCluster();
    console.log(`export MFAKIT_TEST_POSTGRES_URL='${cluster.url}'`);
    console.log(`# stop with: node scripts/postgres-cluster.mjs stop ${cluster.dir}`);
  } else if (command === 'stop' && dir !== undefined) {
    stopCluster({ bin: findPostgresBin(), dir, data: join(dir, 'data') });
  } else {
    console.error('usage: node scripts/postgres-cluster.mjs start | stop <dir>');
    process.exit(2);
  }
}
