/**
 * A separate OS process for the cross-process tests (@mfakit/testing's `runStoreRaceWorker`):
 * opens the SQLite file of its job.
 */
import { runStoreRaceWorker } from '@mfakit/testing';
import { SqliteRegistryStore } from '../src/index.js';

await runStoreRaceWorker((store: { path: string }) => SqliteRegistryStore.open(store.path, { migrate: false }));
