/**
 * A PostgreSQL server for this package's tests: `MFAKIT_TEST_POSTGRES_URL` when set (the test
 * command starts one, scripts/run-tests.mjs), else a throwaway cluster started here when
 * PostgreSQL is installed, stopped when the run ends. Without either the tests are skipped —
 * except in CI (CI=true), where a missing PostgreSQL fails the run.
 */
import type { TestProject } from 'vitest/node';
// @ts-expect-error: a plain .mjs script without types
import { findPostgresBin, startCluster, stopCluster } from '../../../scripts/postgres-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.MFAKIT_TEST_POSTGRES_URL;
  if (given !== undefined && given !== '') {
    project.provide('postgresUrl', given);
    return undefined;
  }
  if (findPostgresBin() === undefined) {
    if (process.env.CI === 'true') throw new Error('CI: PostgreSQL is required (apt-get install postgresql)');
    project.provide('postgresUrl', '');
    return undefined;
  }
  const cluster = await startCluster();
  project.provide('postgresUrl', cluster.url);
  return () => stopCluster(cluster);
}
