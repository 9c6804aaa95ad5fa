/**
 * Transactions through a pool you made (the structural `PgPool`), with serialisation failures
 * injected by a wrapper: the work runs again and commits once; a failure that persists ends in
 * store_unavailable after `transactionAttempts`, with the driver's error as cause.
 */
import { isMfaError } from '@mfakit/core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { type PgPool, type PgPoolClient, type PgQueryConfig, PostgresRegistryStore } from '../src/index.js';
import { describePostgres, dropSchema, newSchemaName, POSTGRES_URL } from './postgres.js';

/** A pg.Pool whose transactions fail with SQLSTATE 40001 on their first statement after BEGIN, `failures` times. */
function flakyPool(failures: number): { pool: PgPool; injected: () => number } {
  const inner = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  let injected = 0;
  const pool: PgPool = {
    query: (config: PgQueryConfig) => inner.query(config),
    end: () => inner.end(),
    on: (event, listener) => inner.on(event, listener),
    connect: async (): Promise<PgPoolClient> => {
      const client = await inner.connect();
      let afterBegin = false;
      return {
        release: (destroy) => client.release(destroy),
        query: async (config: PgQueryConfig) => {
          if (afterBegin && injected < failures) {
            afterBegin = false;
            injected++;
            throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
          }
          afterBegin = config.text === 'BEGIN';
          return client.query(config);
        },
      };
    },
  };
  return { pool, injected: () => injected };
}

describePostgres('transaction retries', () => {
  it('runs the work again after a serialisation failure and commits once', async () => {
    const { pool, injected } = flakyPool(2);
    const schema = newSchemaName();
    await (await PostgresRegistryStore.connect(POSTGRES_URL, { schema })).close();
    const store = await PostgresRegistryStore.connect(pool, { schema, migrate: false });
    let runs = 0;
    const result = await store.transaction(async (tx) => {
      runs++;
      await tx.accounts.insert({ id: 'a1', rootUserId: 'u1', createdAt: 1 });
      return 'done';
    });
    expect(result).toBe('done');
    expect(injected()).toBe(2);
    expect(runs).toBe(3); // twice failed on its first statement, rolled back, run again
    expect(await store.accounts.get('a1')).toEqual({ id: 'a1', rootUserId: 'u1', createdAt: 1 });
    await store.close(); // a pool you made stays open
    await pool.query({ text: 'SELECT 1' });
    await pool.end();
    await dropSchema(schema);
  });

  it('gives up after transactionAttempts with store_unavailable, committing nothing', async () => {
    const { pool, injected } = flakyPool(100);
    const schema = newSchemaName();
    await (await PostgresRegistryStore.connect(POSTGRES_URL, { schema })).close();
    const store = await PostgresRegistryStore.connect(pool, { schema, migrate: false, transactionAttempts: 3 });
    const error = await store
      .transaction(async (tx) => {
        await tx.accounts.insert({ id: 'a1', rootUserId: 'u1', createdAt: 1 });
      })
      .catch((caught: unknown) => caught);
    expect(isMfaError(error, 'store_unavailable')).toBe(true);
    expect(((error as Error).cause as { code?: string }).code).toBe('40001');
    expect(injected()).toBe(3);
    expect(await store.accounts.get('a1')).toBeUndefined();
    await store.close();
    await pool.end();
    await dropSchema(schema);
  });
});
