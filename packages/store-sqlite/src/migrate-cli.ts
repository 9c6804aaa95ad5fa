#!/usr/bin/env node
/**
 * @module
 * `mfakit-sqlite-migrate <database-file> [--status]`: applies the registry's missing migrations
 * to a SQLite file before servers start (they then open it with `migrate: false`), or with
 * `--status` prints the file's schema version and the newest this code knows, changing nothing.
 * Exit codes: 0 done, 1 refused (the message says why), 2 usage.
 */
import { isMfaError } from '@mfakit/core';
import { SqliteRegistryStore } from './sqlite-store.js';

async function main(args: string[]): Promise<number> {
  const status = args.includes('--status');
  const files = args.filter((arg) => arg !== '--status');
  if (files.length !== 1 || files[0]?.startsWith('-')) {
    console.error('usage: mfakit-sqlite-migrate <database-file> [--status]');
    return 2;
  }
  const path = files[0] as string;
  try {
    if (status) {
      const state = await SqliteRegistryStore.schemaState(path);
      console.log(`${path}: schema version ${state.version} (this code: ${state.latest})`);
      return 0;
    }
    const { applied, version } = await SqliteRegistryStore.migrate(path);
    console.log(
      applied.length === 0
        ? `${path}: up to date (schema version ${version})`
        : `${path}: applied ${applied.join(', ')}; schema version ${version}`,
    );
    return 0;
  } catch (error) {
    if (!isMfaError(error)) throw error;
    console.error(`mfakit-sqlite-migrate: ${error.message} (${error.code})`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
