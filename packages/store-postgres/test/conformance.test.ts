import type { RegistryStore } from '@mfakit/registry';
import { runRegistryStoreConformance } from '@mfakit/testing';
import type { PostgresRegistryStore } from '../src/index.js';
import { describePostgres, dropSchema, freshStore } from './postgres.js';

describePostgres('PostgreSQL', () => {
  // On the pool of four connections (freshStore's default): concurrent calls of one process run
  // on parallel connections and complete in any order, as they do in a server. The suite states
  // its races for that (the right code in a burst may be reserved among the first attempts; one
  // key's assertions may be verified out of order), and two processes are in processes.test.ts.
  runRegistryStoreConformance(() => freshStore(), {
    name: 'PostgresRegistryStore conformance',
    teardown: async (store: RegistryStore) => {
      await store.close?.();
      await dropSchema((store as PostgresRegistryStore).schema);
    },
  });
});
