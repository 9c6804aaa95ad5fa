/** Removes the throwaway data directory vitest.config.ts made for the generation records. */
import { rmSync } from 'node:fs';

export default function setup(): () => void {
  return () => {
    const directory = process.env.MFAKIT_VAULT_TEST_DATA_HOME;
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  };
}
