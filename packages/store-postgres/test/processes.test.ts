/**
 * Real OS processes on one PostgreSQL database: @mfakit/testing's cross-process race and crash
 * suite (one valid code accepted once of 2 × 25, wrong codes counted exactly, lockout at exactly
 * maxFailures, one recovery completion, a client killed with SIGKILL mid-write), each test on a
 * new schema of the test server.
 */
import { join } from 'node:path';
import { runStoreProcessRaces } from '@mfakit/testing';
import { PostgresRegistryStore } from '../src/index.js';
import { dropSchema, freshStore, POSTGRES_URL } from './postgres.js';

runStoreProcessRaces<{ url: string; schema: string }>({
  what: 'one PostgreSQL database',
  workerFile: join(import.meta.dirname, 'race-worker.ts'),
  // Without a server the suite is skipped here; the test command starts one, and CI fails without it.
  skip: POSTGRES_URL === '',
  fresh: async () => {
    const store = await freshStore();
    return { store, spec: { url: POSTGRES_URL, schema: store.schema } };
  },
  reopen: ({ url, schema }) => PostgresRegistryStore.connect(url, { schema, migrate: false }),
  drop: ({ schema }) => dropSchema(schema),
});
