/**
 * Real OS processes on one SQLite file: @mfakit/testing's cross-process race and crash suite
 * (one valid code accepted once of 2 × 25, wrong codes counted exactly, lockout at exactly
 * maxFailures, one recovery completion, SIGKILL mid-write), each test on a new file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreProcessRaces } from '@mfakit/testing';
import { afterAll } from 'vitest';
import { SqliteRegistryStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mfakit-sqlite-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStoreProcessRaces<{ path: string }>({
  what: 'one SQLite file',
  workerFile: join(import.meta.dirname, 'race-worker.ts'),
  fresh: async () => {
    const path = join(dir, `race-${++n}.sqlite`);
    return { store: await SqliteRegistryStore.open(path), spec: { path } };
  },
  reopen: ({ path }) => SqliteRegistryStore.open(path, { migrate: false }),
});
