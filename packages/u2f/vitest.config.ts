import { mfakitProject } from '../../vitest.shared.js';

export default mfakitProject('u2f');
