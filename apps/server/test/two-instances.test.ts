/**
 * Two server processes on one PostgreSQL database, as behind a load balancer: a session made on
 * one works on the other, a device created on one is enabled on the other, and one valid code
 * posted to both at once by ten sign-ins is accepted exactly once. PostgreSQL comes from
 * MFAKIT_TEST_POSTGRES_URL (the test command starts one) or a throwaway cluster started here;
 * without PostgreSQL installed this test fails (scripts/test-env.sh installs it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { base32Decode, totp } from '@mfakit/core';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { findPostgresBin, startCluster, stopCluster } from '../../../scripts/postgres-cluster.mjs';
import { PostgresServerStore } from '../src/postgres-server-store.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PASSWORD = 'violet staple orbit lantern';

let cluster: { url: string } | undefined;
let adminUrl: string;
let databaseUrl: string;
let database: string;
const children: ChildProcess[] = [];
const dirs: string[] = [];

async function startInstance(env: Record<string, string>): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mfakit-server-pg-'));
  dirs.push(dataDir);
  const child = spawn(
    process.execPath,
    ['--conditions=@mfakit/source', '--import', 'tsx', MAIN, '--port', '0', '--data-dir', dataDir],
    { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start: ${output}`)), 60_000);
    const read = (chunk: unknown) => {
      output += String(chunk);
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`instance exited (${code}): ${output}`)));
  });
}

beforeAll(async () => {
  const given = process.env.MFAKIT_TEST_POSTGRES_URL;
  if (given) adminUrl = given;
  else {
    if (findPostgresBin() === undefined) throw new Error('PostgreSQL is not installed: run `bash scripts/test-env.sh`');
    cluster = await startCluster();
    adminUrl = (cluster as { url: string }).url;
  }
  database = `mfakit_server_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  databaseUrl = url.toString();
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map(
      (child) => new Promise((resolve) => (child.exitCode !== null ? resolve(0) : child.once('exit', resolve))),
    ),
  );
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  if (adminUrl && database) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  if (cluster) stopCluster(cluster);
}, 60_000);

const cookies = (response: Response) =>
  new Map(response.headers.getSetCookie().map((line) => line.split(';')[0]?.split('=') as [string, string]));

test('two instances share sessions, enrollment and the replay guard', async () => {
  const env = {
    DATABASE_URL: databaseUrl,
    MFAKIT_DATA_KEY: randomBytes(32).toString('base64'),
    MFAKIT_COOKIE_SECRET: randomBytes(32).toString('base64'),
    PUBLIC_ORIGIN: 'http://localhost:3000',
  };
  const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);

  const form = await fetch(`${a}/sign-up`);
  const csrfCookie = cookies(form).get('mfakit_csrf') as string;
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(await form.text())?.[1] as string;
  const signUp = await fetch(`${a}/sign-up`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `mfakit_csrf=${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      _csrf: csrf,
      name: 'alice',
      email: 'alice@example.com',
      phone: '+14155550100',
      password: PASSWORD,
    }),
  });
  expect(signUp.status).toBe(303);
  let session = cookies(signUp).get('mfakit_session') as string;
  const json = () => ({
    cookie: `mfakit_csrf=${csrfCookie}; mfakit_session=${session}`,
    'content-type': 'application/json',
    'x-csrf-token': csrf,
  });

  // The session made on A works on B.
  const onB = await fetch(`${b}/security`, { headers: { cookie: json().cookie }, redirect: 'manual' });
  expect(onB.status).toBe(200);
  expect(await onB.text()).toContain('Security credentials');

  // A device created on A is enabled on B.
  const created = await fetch(`${a}/mfa/devices/virtual`, {
    method: 'POST',
    headers: json(),
    body: '{"name":"phone"}',
  });
  const { deviceId, secret } = (await created.json()) as { deviceId: string; secret: string };
  const key = base32Decode(secret);
  const now = Date.now();
  const enabled = await fetch(`${b}/mfa/devices/${deviceId}/enable`, {
    method: 'POST',
    headers: json(),
    body: JSON.stringify({ code1: totp(key, { at: now - 30_000 }), code2: totp(key, { at: now }) }),
  });
  expect(enabled.status).toBe(200);
  session = cookies(enabled).get('mfakit_session') as string;

  // Ten password sign-ins (alternating instances), then one valid code posted by all ten at once.
  const sessions: string[] = [];
  for (let i = 0; i < 10; i++) {
    const signIn = await fetch(`${i % 2 === 0 ? a : b}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `mfakit_csrf=${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, email: 'alice@example.com', password: PASSWORD }),
    });
    expect(signIn.headers.get('location')).toBe('/sign-in/mfa');
    sessions.push(cookies(signIn).get('mfakit_session') as string);
  }
  const code = totp(key, { at: Date.now() + 30_000 }); // a step after the enrollment's
  const answers = await Promise.all(
    sessions.map((sid, i) =>
      fetch(`${i % 2 === 0 ? a : b}/mfa/sign-in/code`, {
        method: 'POST',
        headers: {
          cookie: `mfakit_csrf=${csrfCookie}; mfakit_session=${sid}`,
          'content-type': 'application/json',
          'x-csrf-token': csrf,
        },
        body: JSON.stringify({ code }),
      }).then(async (response) => `${response.status} ${await response.text()}`),
    ),
  );
  expect(answers.filter((answer) => answer === '200 {"ok":true}')).toHaveLength(1);
  expect(answers.filter((answer) => answer === '401 {"ok":false}')).toHaveLength(9);
}, 120_000);

test('the PostgreSQL server store: rate-limit hits counted exactly by two instances at once, a new session readable at once on the other', async () => {
  const one = await PostgresServerStore.connect(databaseUrl);
  const two = await PostgresServerStore.connect(databaseUrl);
  try {
    const hits = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 === 0 ? one : two).hitRateLimit('ip:POST /mfa/sign-in/code:127.0.0.1', 0),
      ),
    );
    expect(hits.sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const session = {
      idHash: 'f'.repeat(64),
      userId: 'u1',
      createdAt: 1,
      lastSeenAt: 1,
      mfaAt: null,
      stage: 'full' as const,
    };
    await one.insertSession(session);
    expect(await two.getSession(session.idHash)).toEqual(session);
    await two.deleteSession(session.idHash);
    expect(await one.getSession(session.idHash)).toBeUndefined();
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
}, 60_000);
