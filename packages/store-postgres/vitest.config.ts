import { mfakitProject } from '../../vitest.shared.js';

const base = mfakitProject('store-postgres');

export default { ...base, test: { ...base.test, globalSetup: ['test/global-setup.ts'] } };
