/**
 * Test helpers: the server URL, fresh schemas (one per store, dropped afterwards), and a
 * `describe` that skips without a server outside CI.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { PostgresRegistryStore, type PostgresStoreOptions } from '../src/index.js';

export const POSTGRES_URL = inject('postgresUrl');

if (POSTGRES_URL === '' && process.env.CI === 'true') throw new Error('CI: no PostgreSQL for the store tests');

/** `describe` when a server is there, `describe.skip` otherwise (never in CI: see above). */
export function describePostgres(name: string, body: () => void): void {
  (POSTGRES_URL === '' ? describe.skip : describe)(name, body);
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
