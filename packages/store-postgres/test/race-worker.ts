/**
 * A separate OS process for the cross-process tests (@mfakit/testing's `runStoreRaceWorker`):
 * connects to the PostgreSQL schema of its job.
 */
import { runStoreRaceWorker } from '@mfakit/testing';
import { PostgresRegistryStore } from '../src/index.js';

await runStoreRaceWorker((store: { url: string; schema: string }) =>
  PostgresRegistryStore.connect(store.url, {
    schema: store.schema,
    migrate: false,
    connectionTimeoutMs: 30_000,
    statementTimeoutMs: 30_000,
  }),
);
