import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProject } from 'vitest/config';

/** The per-project config every package uses: resolve workspace packages from source. */
export function mfakitProject(name: string, extra: { testTimeout?: number; include?: string[] } = {}) {
  return defineProject({
    resolve: { conditions: ['@mfakit/source'] },
    ssr: { resolve: { conditions: ['@mfakit/source'] } },
    test: {
      name,
      include: extra.include ?? ['test/**/*.test.ts'],
      testTimeout: extra.testTimeout ?? 30_000,
      // @mfakit/vault's rollback records (one tiny file per vault id) go here, not into the real HOME.
      env: { MFAKIT_STATE_DIR: join(tmpdir(), 'mfakit-test-state') },
    },
  });
}
