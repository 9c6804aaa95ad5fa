/**
 * @module
 * `pnpm bench:server`: autocannon against the reference server (apps/server) on loopback, black
 * box: the server runs as its own process (`src/main.ts`, SQLite file in a temporary data
 * directory, request logs at warn), users sign up and enroll over HTTP, then each scenario sends
 * a bounded number of requests (it stops by itself) and counts every answer that is not the
 * expected one. Writes bench/results/server.json and .md.
 *
 * Scenarios: `mfa-verify (checked)` — POST /mfa/sign-in/code with a wrong code, rotating over the
 * users, with the registry's back-off raised to 100 failures so that every request is reserved,
 * checked against the device (3 HMACs) and audited, as a correct code is (a correct code can be
 * used once per 30 s per user, so it cannot be repeated at volume); `mfa-verify (locked)` — the
 * same users once locked out: refused before any secret is touched; `password sign-in` — POST
 * /sign-in with the right password (argon2id, 19 MiB), rotating over the users. Each on SQLite
 * (synchronous FULL and NORMAL) and, when PostgreSQL is installed, on a throwaway cluster.
 * The per-IP and per-account rate limits are raised (one client IP sends everything).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { base32Decode, totp } from '@mfakit/core';
import autocannon from 'autocannon';
import pg from 'pg';
// @ts-expect-error: a plain .mjs script without types
import { findPostgresBin, startCluster, stopCluster } from '../../scripts/postgres-cluster.mjs';

const MAIN = fileURLToPath(new URL('../../apps/server/src/main.ts', import.meta.url));
const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));
const PASSWORD = 'bench passphrase for every user';

interface BenchUser {
  email: string;
  cookie: string;
  csrfCookie: string;
  csrf: string;
}

interface ScenarioResult {
  scenario: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  unexpected: number;
  connections: number;
}

function cookiesOf(response: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const index = (pair as string).indexOf('=');
    jar.set((pair as string).slice(0, index), (pair as string).slice(index + 1));
  }
  return jar;
}

type Backend = 'full' | 'normal' | 'postgres';

async function startServer(
  dataDir: string,
  backend: Backend,
  databaseUrl?: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@mfakit/source', '--import', 'tsx', MAIN, '--port', '0', '--data-dir', dataDir],
    {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        ...(backend === 'postgres' ? { DATABASE_URL: databaseUrl } : { MFAKIT_SQLITE_SYNCHRONOUS: backend }),
        MFAKIT_MAX_FAILURES: '100',
        MFAKIT_BACKOFF_AFTER_FAILURES: '100',
        MFAKIT_RATE_LIMIT_PER_MINUTE: '100000000',
        MFAKIT_SENSITIVE_RATE_LIMIT_PER_MINUTE: '100000000',
        MFAKIT_ACCOUNT_ATTEMPTS_PER_15_MIN: '100000000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Signs a user up and enrolls an authenticator app over HTTP. */
async function makeUser(url: string, index: number): Promise<BenchUser> {
  const email = `user${index}@bench.test`;
  const form = await fetch(`${url}/sign-up`);
  const csrfCookie = cookiesOf(form).get('mfakit_csrf') as string;
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(await form.text())?.[1] as string;
  const signedUp = await fetch(`${url}/sign-up`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `mfakit_csrf=${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, name: `user ${index}`, email, phone: '+14155550100', password: PASSWORD }),
  });
  let session = cookiesOf(signedUp).get('mfakit_session') as string;
  const headers = () => ({
    cookie: `mfakit_csrf=${csrfCookie}; mfakit_session=${session}`,
    'content-type': 'application/json',
    'x-csrf-token': csrf,
  });
  const created = (await (
    await fetch(`${url}/mfa/devices/virtual`, { method: 'POST', headers: headers(), body: '{"name":"phone"}' })
  ).json()) as { deviceId: string; secret: string };
  const secret = base32Decode(created.secret);
  const now = Date.now();
  const enabled = await fetch(`${url}/mfa/devices/${created.deviceId}/enable`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ code1: totp(secret, { at: now - 30_000 }), code2: totp(secret, { at: now }) }),
  });
  if (enabled.status !== 200) throw new Error(`enable answered ${enabled.status}`);
  session = cookiesOf(enabled).get('mfakit_session') as string;
  return { email, cookie: `mfakit_csrf=${csrfCookie}; mfakit_session=${session}`, csrfCookie, csrf };
}

async function run(
  scenario: string,
  url: string,
  options: { amount: number; connections: number; expected: { status: number; body?: string } },
  request: (user: BenchUser) => { method: 'POST'; path: string; headers: Record<string, string>; body: string },
  users: BenchUser[],
): Promise<ScenarioResult> {
  let next = 0;
  let unexpected = 0;
  // Timed from the first request to the last answer: autocannon resolves only at its next 1 s
  // sampling tick, so the time around the call would round every run up to whole seconds.
  let firstSentAt: number | undefined;
  let lastAnsweredAt = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    amount: options.amount,
    timeout: 10,
    requests: [
      {
        setupRequest: (base) => {
          firstSentAt ??= performance.now();
          return { ...base, ...request(users[next++ % users.length] as BenchUser) };
        },
        onResponse: (status, body) => {
          lastAnsweredAt = performance.now();
          if (
            status !== options.expected.status ||
            (options.expected.body !== undefined && body !== options.expected.body)
          ) {
            unexpected++;
          }
        },
      },
    ],
  });
  const elapsedMs = lastAnsweredAt - (firstSentAt ?? lastAnsweredAt);
  unexpected += result.errors + result.timeouts;
  return {
    scenario,
    requests: result.requests.total,
    requestsPerSecond: Math.round((result.requests.total * 1000) / elapsedMs),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    unexpected,
    connections: options.connections,
  };
}

/** A fresh database on MFAKIT_TEST_POSTGRES_URL or a throwaway cluster; undefined without PostgreSQL. */
async function postgresDatabase(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  let adminUrl = process.env.MFAKIT_TEST_POSTGRES_URL;
  let cluster: unknown;
  if (!adminUrl) {
    if (findPostgresBin() === undefined) {
      console.log('PostgreSQL is not installed: its rows are left out.');
      return undefined;
    }
    cluster = await startCluster();
    adminUrl = (cluster as { url: string }).url;
  }
  const name = `mfakit_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      if (cluster !== undefined) stopCluster(cluster);
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '100' },
      requests: { type: 'string', default: '4000' },
      connections: { type: 'string', default: '16' },
      quick: { type: 'boolean' },
    },
  });
  const userCount = values.quick ? 20 : Number(values.users);
  const requests = values.quick ? 600 : Number(values.requests);
  const connections = Number(values.connections);
  if (requests > userCount * 90)
    throw new RangeError('--requests must be at most 90 per user (the raised back-off is 100)');
  const results: ScenarioResult[] = [];
  const postgres = await postgresDatabase();
  const backends: Backend[] = postgres === undefined ? ['full', 'normal'] : ['full', 'normal', 'postgres'];
  for (const backend of backends) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mfakit-bench-server-'));
    const server = await startServer(dataDir, backend, postgres?.url);
    try {
      const users: BenchUser[] = [];
      for (let i = 0; i < userCount; i++) users.push(await makeUser(server.url, i));
      const verify = (user: BenchUser) => ({
        method: 'POST' as const,
        path: '/mfa/sign-in/code',
        headers: { cookie: user.cookie, 'content-type': 'application/json', 'x-csrf-token': user.csrf },
        body: '{"code":"000000"}',
      });
      const refused = { status: 401, body: '{"ok":false}' };
      const label = (name: string) =>
        `${name}, ${backend === 'postgres' ? 'PostgreSQL' : `SQLite ${backend.toUpperCase()}`}`;
      results.push(
        await run(
          label('mfa-verify (checked)'),
          server.url,
          { amount: requests, connections, expected: refused },
          verify,
          users,
        ),
      );
      // Lock everyone (100 failures each), then measure refusals of locked users.
      await run(
        'lock',
        server.url,
        { amount: userCount * 100 - requests, connections, expected: refused },
        verify,
        users,
      );
      results.push(
        await run(
          label('mfa-verify (locked)'),
          server.url,
          { amount: requests, connections, expected: refused },
          verify,
          users,
        ),
      );
      if (backend === 'full') {
        results.push(
          await run(
            label('password sign-in'),
            server.url,
            { amount: values.quick ? 100 : 1000, connections, expected: { status: 303 } },
            (user) => ({
              method: 'POST',
              path: '/sign-in',
              headers: {
                cookie: `mfakit_csrf=${user.csrfCookie}`,
                'content-type': 'application/x-www-form-urlencoded',
              },
              body: new URLSearchParams({ _csrf: user.csrf, email: user.email, password: PASSWORD }).toString(),
            }),
            users,
          ),
        );
      }
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  await postgres?.drop();
  const machine = `Node ${process.version}, ${cpus()[0]?.model.trim()} (${cpus().length} logical cores), ${new Date().toISOString()}`;
  const table = [
    '| scenario | requests | requests/s | p50 | p99 | unexpected answers |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.scenario} | ${r.requests} | ${r.requestsPerSecond} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.unexpected} |`,
    ),
  ].join('\n');
  const footer = `${userCount} users, ${connections} connections, autocannon and one server process on the same machine; ${machine}.`;
  console.log(`${table}\n\n${footer}`);
  if (!values.quick) {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(
      join(RESULTS, 'server.json'),
      `${JSON.stringify({ machine, users: userCount, connections, results }, null, 2)}\n`,
    );
    writeFileSync(join(RESULTS, 'server.md'), `${table}\n\n${footer}\n`);
  }
  if (results.some((r) => r.unexpected > 0)) process.exitCode = 1;
}

await main();
