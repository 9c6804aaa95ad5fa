import { mfakitProject } from '../../vitest.shared.js';

export default mfakitProject('authenticator', {
  testTimeout: 60_000,
  include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
});
