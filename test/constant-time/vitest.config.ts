import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { mfakitProject } from '../../vitest.shared.js';

// The timing-leak tests run on their own, after every other suite, so no other test competes with
// them for the CPU: `vitest run --config test/constant-time/vitest.config.ts` from the repo root.
// The root is pinned to the repository so the include pattern holds from any working directory.
export default mergeConfig(
  mfakitProject('constant-time', { include: ['test/constant-time/**/*.test.ts'], testTimeout: 300_000 }),
  defineConfig({
    root: fileURLToPath(new URL('../..', import.meta.url)),
    // One file at a time, one worker: two timing experiments side by side would disturb each other.
    test: { fileParallelism: false, maxWorkers: 1 },
  }),
);
