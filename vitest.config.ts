import { defineConfig } from 'vitest/config';

// One vitest run covers every package and the cross-package tests, so the test command ends with
// one summary. Packages resolve each other's TypeScript sources through the `@mfakit/source`
// export condition: no build is needed to test.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'test'],
  },
});
