import { mfakitProject } from '../vitest.shared.js';

export default mfakitProject('cross', { include: ['**/*.test.ts'], testTimeout: 120_000 });
