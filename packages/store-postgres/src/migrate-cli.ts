#!/usr/bin/env node
/**
 * @module
 * `mfakit-postgres-migrate [--schema name] [--status]`: applies the registry's missing
 * migrations to the database named by `MFAKIT_POSTGRES_URL` (an environment variable, so the
 * password stays out of the process list and shell history) before servers start — they then
 * connect with `migrate: false` — or with `--status` prints the schema's version, changing
 * nothing. Exit codes: 0 done, 1 refused (the message says why), 2 usage.
 */
import { isMfaError } from '@mfakit/core';
import { PostgresRegistryStore } from './postgres-store.js';

const USAGE = 'usage: MFAKIT_POSTGRES_URL=postgres://… mfakit-postgres-migrate [--schema name] [--status]';

async function main(args: string[]): Promise<number> {
  let schema = 'public';
  let status = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--status') status = true;
    else if (args[i] === '--schema' && args[i + 1] !== undefined) schema = args[++i] as string;
    else {
      console.error(USAGE);
      return 2;
    }
  }
  const url = process.env.MFAKIT_POSTGRES_URL;
  if (url === undefined || url === '') {
    console.error(USAGE);
    return 2;
  }
  try {
    if (status) {
      const state = await PostgresRegistryStore.schemaState(url, { schema });
      console.log(`schema ${schema}: version ${state.version} (this code: ${state.latest})`);
      return 0;
    }
    const { applied, version } = await PostgresRegistryStore.migrate(url, { schema });
    console.log(
      applied.length === 0
        ? `schema ${schema}: up to date (version ${version})`
        : `schema ${schema}: applied ${applied.join(', ')}; version ${version}`,
    );
    return 0;
  } catch (error) {
    if (!isMfaError(error)) throw error;
    console.error(`mfakit-postgres-migrate: ${error.message} (${error.code})`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
