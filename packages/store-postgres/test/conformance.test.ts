import type { RegistryStore } from '@mfakit/registry';
import { runRegistryStoreConformance } from '@mfakit/testing';
import type { PostgresRegistryStore } from '../src/index.js';
import { describePostgres, dropSchema, freshStore } from './postgres.js';

describePostgres('PostgreSQL', () => {
  // One connection: the conformance bursts assume that a request issued last reaches the store
  // last (the right code sent after 2 000 guesses must be reserved after them). On several
  // connections, statements complete out of order and the right code is sometimes reserved
  // among the first three; its success then resets the count and later guesses are checked —
  // a legitimate interleaving that the suite's assertion does not allow. Statements from one
  // connection still interleave between requests (a read-then-write would lose), and real
  // parallel writers are proven by processes.test.ts (two processes, ten connections each).
  runRegistryStoreConformance(() => freshStore({ maxConnections: 1 }), {
    name: 'PostgresRegistryStore conformance',
    teardown: async (store: RegistryStore) => {
      await store.close?.();
      await dropSchema((store as PostgresRegistryStore).schema);
    },
  });
});
