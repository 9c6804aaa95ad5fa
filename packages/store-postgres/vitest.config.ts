import { mfakitProject } from '../../vitest.shared.js';

export default mfakitProject('store-postgres');
