import { configDefaults, mergeConfig } from 'vitest/config';
import { mfakitProject } from '../vitest.shared.js';

// The timing-leak tests (constant-time/) are not part of this project: they run in their own
// vitest invocation after everything else (see constant-time/vitest.config.ts).
export default mergeConfig(mfakitProject('cross', { include: ['**/*.test.ts'], testTimeout: 120_000 }), {
  test: { exclude: [...configDefaults.exclude, 'constant-time/**'] },
});
