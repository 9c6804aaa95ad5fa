import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRegistryStoreConformance } from '@mfakit/testing';
import { afterAll } from 'vitest';
import { SqliteRegistryStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mfakit-sqlite-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runRegistryStoreConformance(() => SqliteRegistryStore.open(':memory:'), {
  name: 'SqliteRegistryStore conformance (:memory:)',
  teardown: (store) => store.close?.(),
});

runRegistryStoreConformance(() => SqliteRegistryStore.open(join(dir, `store-${++n}.db`)), {
  name: 'SqliteRegistryStore conformance (file)',
  teardown: (store) => store.close?.(),
});
