import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeConfig } from 'vitest/config';
import { mfakitProject } from '../../vitest.shared.js';

// The vault records the newest generation of each vault it opens in the user's data directory
// (src/seen-generations.ts): the tests, and the processes they spawn, use a throwaway one per run.
// Only named here (the records' writer creates it); test/global-setup.ts removes it after the run.
const dataHome = join(tmpdir(), `mfakit-vault-test-data-${process.pid}`);
process.env.MFAKIT_VAULT_TEST_DATA_HOME = dataHome;

export default mergeConfig(mfakitProject('vault'), {
  test: { env: { XDG_DATA_HOME: dataHome }, globalSetup: ['test/global-setup.ts'] },
});
