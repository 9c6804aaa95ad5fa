import { mfakitProject } from '../../vitest.shared.js';

export default mfakitProject('authenticator', { testTimeout: 60_000 });
