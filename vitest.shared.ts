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
    },
  });
}
