/**
 * Test helpers: the server URL, fresh schemas (one per store, dropped afterwards), and a
 * `describe` that skips without a server outside CI.
 *
 * The server is `MFAKIT_TEST_POSTGRES_URL` when set (the test command starts one for the whole
 * run: scripts/run-tests.mjs). Otherwise a test file that imports this starts a throwaway
 * cluster of its own when PostgreSQL is installed, and stops it when the file is done — so a
 * vitest run that does not reach these files starts nothing. Without either the tests are
 * skipped, except in CI (CI=true), where a missing PostgreSQL fails the run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { findPostgresBin, startCluster, stopCluster } from '../../../scripts/postgres-cluster.mjs';
import { PostgresRegistryStore, type PostgresStoreOptions } from '../src/index.js';

async function serverUrl(): Promise<string> {
  const given = process.env.MFAKIT_TEST_POSTGRES_URL;
  if (given !== undefined && given !== '') return given;
  if (findPostgresBin() === undefined) {
    if (process.env.CI === 'true')
      throw new Error('CI: PostgreSQL is required for the store tests (apt-get install postgresql)');
    return '';
  }
  const cluster = await startCluster();
  const stop = () => stopCluster(cluster);
  afterAll(stop);
  process.once('exit', stop);
  return cluster.url;
}

export const POSTGRES_URL: string = await serverUrl();

/** `describe` when a server is there, `describe.skip` otherwise (never in CI: see above). */
export function describePostgres(name: string, body: () => void, options: { timeout?: number } = {}): void {
  (POSTGRES_URL === '' ? describe.skip : describe)(name, options, body);
}

export const newSchemaName = () => `t_${randomBytes(6).toString('hex')}`;

/** A store on a new schema of the test server. */
export async function freshStore(options: PostgresStoreOptions = {}): Promise<PostgresRegistryStore> {
  return PostgresRegistryStore.connect(POSTGRES_URL, {
    schema: newSchemaName(),
    maxConnections: 4,
    // The conformance bursts queue 2 000 calls on 4 connections; CI's 2 shared cores can make that slow.
    connectionTimeoutMs: 30_000,
    statementTimeoutMs: 30_000,
    ...options,
  });
}

/** Runs `body` with a plain pg client on the test server (inspecting, dropping schemas). */
export async function withClient<T>(body: (client: pg.Client) => Promise<T>, url = POSTGRES_URL): Promise<T> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}
