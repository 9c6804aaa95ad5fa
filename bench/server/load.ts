/**
 * @module
 * `pnpm bench:server`: autocannon against the reference server (apps/server) on loopback, black
 * box: the server runs as its own process (`src/main.ts`, SQLite file in a temporary data
 * directory, request logs at warn unless BENCH_LOG_LEVEL says otherwise), users sign up and
 * enroll over HTTP, then each scenario sends a bounded number of requests (it stops by itself)
 * and counts every answer that is not the expected one. Writes bench/results/server.json and .md
 * (full runs over every backend only).
 *
 * Scenarios: `sign-in with password + MFA` — the pages' flow, POST /sign-in with the right
 * password then POST /sign-in/mfa/code with a correct code, one flow per user (a correct code
 * is accepted once per user and 30 s step), counted and timed per flow; `mfa-verify (checked)`
 * — POST /mfa/sign-in/code with a wrong code, rotating over the users, with the registry's
 * back-off raised to 100 failures so that every request is reserved, checked against the device
 * (3 HMACs) and audited, as a correct code is; `mfa-verify (locked)` — the same on
 * `--locked-users` users once locked out: refused before any secret is touched; `password
 * sign-in` — POST /sign-in with the right password (argon2id, 19 MiB), rotating over the users.
 * Each on SQLite (synchronous FULL and NORMAL) and, when PostgreSQL is installed, on a throwaway
 * cluster; the flow and password rows on SQLite FULL. The per-IP and per-account rate limits are
 * raised (one client IP sends everything). Every row also gives the CPU the server process and
 * this process (autocannon) used, in cores: they share the machine's cores.
 *
 * Options: --users 600, --requests 30000 (per verify row; at most 90 per user), --flows 500,
 * --locked-users 100, --connections 16, --backends full,normal,postgres, --profile DIR (the
 * server runs with --cpu-prof into DIR), --quick (a smoke run, nothing written).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** The authenticator's secret, for the sign-in flow's one correct code per user per run. */
  secret: Uint8Array;
}

interface ScenarioResult {
  scenario: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  unexpected: number;
  connections: number;
  /** CPU the server process used during the run, in cores (CPU seconds per second). */
  serverCores: number;
  /** CPU this process (autocannon) used during the run, in cores. */
  clientCores: number;
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
  databaseUrl: string | undefined,
  profileDir: string | undefined,
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const profile = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  const child = spawn(
    process.execPath,
    [...profile, '--conditions=@mfakit/source', '--import', 'tsx', MAIN, '--port', '0', '--data-dir', dataDir],
    {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
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
  let output: string | undefined = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      if (process.env.BENCH_SERVER_OUTPUT) process.stderr.write(chunk);
      if (output === undefined) return;
      output += String(chunk);
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        // Later output (request logs at BENCH_LOG_LEVEL=info) is not kept.
        output = undefined;
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid as number,
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
  if (signedUp.status !== 303 || session === undefined)
    throw new Error(`sign-up answered ${signedUp.status}: ${(await signedUp.text()).slice(0, 2000)}`);
  const headers = () => ({
    cookie: `mfakit_csrf=${csrfCookie}; mfakit_session=${session}`,
    'content-type': 'application/json',
    'x-csrf-token': csrf,
  });
  const creation = await fetch(`${url}/mfa/devices/virtual`, {
    method: 'POST',
    headers: headers(),
    body: '{"name":"phone"}',
  });
  if (creation.status !== 201) throw new Error(`device creation answered ${creation.status}: ${await creation.text()}`);
  const created = (await creation.json()) as { deviceId: string; secret: string };
  const secret = base32Decode(created.secret);
  // Not in the last second of a 30 s step: a server that checked the codes in the next step
  // would learn a drift of −1, and the sign-in flow's code (of the next step) would then fall
  // outside its window.
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 1000) await new Promise((resolve) => setTimeout(resolve, left + 20));
  const now = Date.now();
  const enabled = await fetch(`${url}/mfa/devices/${created.deviceId}/enable`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ code1: totp(secret, { at: now - 30_000 }), code2: totp(secret, { at: now }) }),
  });
  if (enabled.status !== 200) throw new Error(`enable answered ${enabled.status}`);
  session = cookiesOf(enabled).get('mfakit_session') as string;
  return { email, cookie: `mfakit_csrf=${csrfCookie}; mfakit_session=${session}`, csrfCookie, csrf, secret };
}

let reported = 0;
/** Prints the first few unexpected answers (status and the start of the body: the error's words, never a code). */
function reportUnexpected(scenario: string, what: string, body: string): void {
  if (reported++ < 5) console.error(`${scenario}: ${what}: ${body.replace(/\s+/g, ' ').slice(0, 300)}`);
}

/** CPU seconds (user + system) the process `pid` has used so far, from /proc (Linux). */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Measures what the run between `begin()` and `end(elapsedMs)` cost the server and this process (autocannon). */
function cpuMeter(serverPid: number) {
  const server = processCpuSeconds(serverPid);
  const client = process.cpuUsage();
  return (elapsedMs: number) => {
    const clientUsage = process.cpuUsage(client);
    return {
      serverCores: round2((processCpuSeconds(serverPid) - server) / (elapsedMs / 1000)),
      clientCores: round2((clientUsage.user + clientUsage.system) / 1000 / elapsedMs),
    };
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function run(
  scenario: string,
  server: { url: string; pid: number },
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
  const cpu = cpuMeter(server.pid);
  const result = await autocannon({
    url: server.url,
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
            reportUnexpected(scenario, `answered ${status}`, body);
          }
        },
      },
    ],
  });
  const elapsedMs = lastAnsweredAt - (firstSentAt ?? lastAnsweredAt);
  if (result.errors + result.timeouts > 0)
    console.error(`${scenario}: ${result.errors} connection errors, ${result.timeouts} timeouts`);
  unexpected += result.errors + result.timeouts;
  return {
    scenario,
    requests: result.requests.total,
    requestsPerSecond: Math.round((result.requests.total * 1000) / elapsedMs),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    unexpected,
    connections: options.connections,
    ...cpu(elapsedMs),
  };
}

/**
 * Sign-in with password + MFA, as a browser does it through the pages: POST /sign-in with the
 * right password (303 to /sign-in/mfa, a session at the password stage), then POST
 * /sign-in/mfa/code with a correct code (303 to /security, a new session). A correct code is
 * accepted once per user and 30 s step, so every flow takes a user of its own, with the code of
 * the next step (enrollment used this step's). Counted and timed per flow (both requests).
 */
async function runSignInFlows(
  scenario: string,
  server: { url: string; pid: number },
  options: { flows: number; connections: number },
  users: BenchUser[],
): Promise<ScenarioResult> {
  if (options.flows + options.connections > users.length)
    throw new RangeError('a sign-in flow needs a user of its own: use more --users or fewer --flows');
  let next = 0;
  let unexpected = 0;
  let firstSentAt: number | undefined;
  let lastAnsweredAt = 0;
  const flowMs: number[] = [];
  interface FlowContext {
    user?: BenchUser;
    startedAt?: number;
    session?: string;
  }
  const sessionOf = (headers: Record<string, string | string[]>) => {
    const lines = ([] as string[]).concat(headers['set-cookie'] ?? headers['Set-Cookie'] ?? []);
    for (const line of lines) {
      const match = /^mfakit_session=([^;]+)/.exec(line);
      if (match) return match[1];
    }
    return undefined;
  };
  const form = 'application/x-www-form-urlencoded';
  const cpu = cpuMeter(server.pid);
  const result = await autocannon({
    url: server.url,
    connections: options.connections,
    amount: options.flows * 2,
    timeout: 10,
    requests: [
      {
        setupRequest: (base, context) => {
          const user = users[next++] as BenchUser;
          const flow = context as FlowContext;
          flow.user = user;
          flow.startedAt = performance.now();
          firstSentAt ??= flow.startedAt;
          return {
            ...base,
            method: 'POST',
            path: '/sign-in',
            headers: { cookie: `mfakit_csrf=${user.csrfCookie}`, 'content-type': form },
            body: new URLSearchParams({ _csrf: user.csrf, email: user.email, password: PASSWORD }).toString(),
          };
        },
        onResponse: (status, body, context, headers) => {
          lastAnsweredAt = performance.now();
          const session = sessionOf(headers as Record<string, string | string[]>);
          if (status !== 303 || session === undefined) {
            unexpected++;
            reportUnexpected(scenario, `POST /sign-in answered ${status}`, body);
          } else (context as FlowContext).session = session;
        },
      },
      {
        setupRequest: (base, context) => {
          const flow = context as FlowContext;
          const user = flow.user as BenchUser;
          return {
            ...base,
            method: 'POST',
            path: '/sign-in/mfa/code',
            headers: {
              cookie: `mfakit_csrf=${user.csrfCookie}; mfakit_session=${flow.session ?? ''}`,
              'content-type': form,
            },
            body: new URLSearchParams({
              _csrf: user.csrf,
              code: totp(user.secret, { at: Date.now() + 30_000 }),
              next: '/security',
            }).toString(),
          };
        },
        onResponse: (status, body, context, headers) => {
          lastAnsweredAt = performance.now();
          const flow = context as FlowContext;
          const location = (headers as Record<string, string>).location;
          if (
            status !== 303 ||
            location !== '/security' ||
            sessionOf(headers as Record<string, string>) === undefined
          ) {
            unexpected++;
            reportUnexpected(scenario, `POST /sign-in/mfa/code answered ${status} to ${location}`, body);
          } else flowMs.push(lastAnsweredAt - (flow.startedAt as number));
        },
      },
    ],
  });
  const elapsedMs = lastAnsweredAt - (firstSentAt ?? lastAnsweredAt);
  if (result.errors + result.timeouts > 0)
    console.error(`${scenario}: ${result.errors} connection errors, ${result.timeouts} timeouts`);
  unexpected += result.errors + result.timeouts;
  flowMs.sort((a, b) => a - b);
  return {
    scenario,
    requests: result.requests.total,
    requestsPerSecond: Math.round((flowMs.length * 1000) / elapsedMs),
    p50Ms: Math.round(percentile(flowMs, 50)),
    p99Ms: Math.round(percentile(flowMs, 99)),
    unexpected,
    connections: options.connections,
    ...cpu(elapsedMs),
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

/** Signs up and enrolls `count` users, a few at a time (argon2id runs on the server's thread pool). */
async function makeUsers(url: string, count: number): Promise<BenchUser[]> {
  const users: BenchUser[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) users[i] = await makeUser(url, i);
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return users;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    // `pnpm bench:server -- --quick` passes the `--` on.
    args: process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--')),
    options: {
      users: { type: 'string', default: '600' },
      requests: { type: 'string', default: '30000' },
      flows: { type: 'string', default: '500' },
      'locked-users': { type: 'string', default: '100' },
      connections: { type: 'string', default: '16' },
      backends: { type: 'string', default: 'full,normal,postgres' },
      profile: { type: 'string' },
      quick: { type: 'boolean' },
    },
  });
  const userCount = values.quick ? 40 : Number(values.users);
  const requests = values.quick ? 1000 : Number(values.requests);
  const flows = values.quick ? 20 : Number(values.flows);
  const lockedUsers = Math.min(userCount, values.quick ? 10 : Number(values['locked-users']));
  const connections = Number(values.connections);
  if (requests > userCount * 90)
    throw new RangeError('--requests must be at most 90 per user (the raised back-off is 100)');
  if (flows + connections > userCount)
    throw new RangeError('--flows must leave --connections users spare (each flow uses a user of its own)');
  const wanted = values.backends.split(',') as Backend[];
  const results: ScenarioResult[] = [];
  const postgres = wanted.includes('postgres') ? await postgresDatabase() : undefined;
  const backends = wanted.filter((backend) => backend !== 'postgres' || postgres !== undefined);
  for (const backend of backends) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mfakit-bench-server-'));
    const server = await startServer(dataDir, backend, postgres?.url, values.profile);
    try {
      const users = await makeUsers(server.url, userCount);
      const verify = (user: BenchUser) => ({
        method: 'POST' as const,
        path: '/mfa/sign-in/code',
        headers: { cookie: user.cookie, 'content-type': 'application/json', 'x-csrf-token': user.csrf },
        body: '{"code":"000000"}',
      });
      const refused = { status: 401, body: '{"ok":false}' };
      const label = (name: string) =>
        `${name}, ${backend === 'postgres' ? 'PostgreSQL' : `SQLite ${backend.toUpperCase()}`}`;
      // First, while no user has failed: every flow signs in one user with one correct code.
      if (backend === 'full') {
        results.push(
          await runSignInFlows(label('sign-in with password + MFA (flows)'), server, { flows, connections }, users),
        );
      }
      results.push(
        await run(
          label('mfa-verify (checked)'),
          server,
          { amount: requests, connections, expected: refused },
          verify,
          users,
        ),
      );
      // Lock some users (100 failures each at least), then measure refusals of locked users.
      const locked = users.slice(0, lockedUsers);
      await run('lock', server, { amount: lockedUsers * 100, connections, expected: refused }, verify, locked);
      results.push(
        await run(
          label('mfa-verify (locked)'),
          server,
          { amount: requests, connections, expected: refused },
          verify,
          locked,
        ),
      );
      if (backend === 'full') {
        results.push(
          await run(
            label('password sign-in'),
            server,
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
    '| scenario | requests | requests/s | p50 | p99 | unexpected answers | server CPU per request | server CPU | autocannon CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.scenario} | ${r.requests} | ${r.requestsPerSecond} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.unexpected} | ${((r.serverCores * 1000) / r.requestsPerSecond).toFixed(2)} ms | ${r.serverCores} | ${r.clientCores} |`,
    ),
  ].join('\n');
  const footer = [
    `${userCount} users (locked: ${lockedUsers}), ${connections} connections, autocannon and one server process on the same machine; ${machine}.`,
    'The sign-in row counts flows (POST /sign-in with the password, then POST /sign-in/mfa/code with a correct code: two requests) and times each flow;',
    'CPU: the server process CPU time per request (per flow), and the cores the server process and autocannon (this process) used during',
    `the run (CPU seconds per second; the machine has ${cpus().length}, shared with whatever else runs).`,
  ].join(' ');
  console.log(`${table}\n\n${footer}`);
  if (!values.quick && values.profile === undefined && values.backends === 'full,normal,postgres') {
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
