import type { Context } from '../cli/context.js';

export async function runTui(_context: Context): Promise<number> {
  process.stderr.write('mfakit: the interactive app is not available yet\n');
  return 1;
}
