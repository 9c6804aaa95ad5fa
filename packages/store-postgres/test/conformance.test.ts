import type { RegistryStore } from '@mfakit/registry';
import { runRegistryStoreConformance } from '@mfakit/testing';
import type { PostgresRegistryStore } from '../src/index.js';
import { describePostgres, dropSchema, freshStore } from './postgres.js';

describePostgres('PostgreSQL', () => {
  runRegistryStoreConformance(() => freshStore(), {
    name: 'PostgresRegistryStore conformance',
    teardown: async (store: RegistryStore) => {
      await store.close?.();
      await dropSchema((store as PostgresRegistryStore).schema);
    },
  });
});
