/**
 * @module
 * Reading the vault file from disk into its parsed parts (no key needed).
 */
import { readFile } from 'node:fs/promises';
import { ioError, vaultError } from './errors.js';
import { type ParsedVaultFile, parseVaultFile } from './format.js';

export async function readVaultFile(path: string): Promise<{ bytes: Uint8Array; parsed: ParsedVaultFile }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw vaultError(
        'vault_not_found',
        `There is no vault at ${path}. Create one first (mfakit init), or point MFAKIT_VAULT at yours.`,
        error,
      );
    }
    throw ioError('read', path, error);
  }
  return { bytes, parsed: parseVaultFile(bytes) };
}
