/**
 * @module
 * Reading the vault file from disk into its parsed parts (no key needed). Only a regular file no
 * larger than a vault can be is read: a path pointing at /dev/zero, a FIFO or a 1.5 GB file used
 * to be read whole (or forever) before the first check.
 */
import { open, stat } from 'node:fs/promises';
import { isMfaError } from '@mfakit/core';
import { ioError, vaultError } from './errors.js';
import { MAX_VAULT_FILE_BYTES, type ParsedVaultFile, parseVaultFile } from './format.js';

const corrupt = (detail: string) =>
  vaultError(
    'vault_corrupt',
    `The vault file is damaged (${detail}): it cannot be an mfakit vault. Check the path (--vault, MFAKIT_VAULT).`,
  );

/**
 * The bytes of the file at `path` (following symbolic links), refused with `vault_corrupt`
 * without reading when it is not a regular file or is larger than any vault. Other failures are
 * the file system's errors.
 */
export async function readBoundedFile(path: string): Promise<Uint8Array> {
  // stat before open: opening a FIFO would block until someone writes to it.
  const before = await stat(path);
  if (!before.isFile()) throw corrupt('not a regular file');
  if (before.size > MAX_VAULT_FILE_BYTES) throw corrupt('larger than any vault');
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_VAULT_FILE_BYTES) throw corrupt('larger than any vault');
    // One byte more than the size: a file that grew meanwhile reads as longer, and parsing refuses it.
    const buffer = new Uint8Array(size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

export async function readVaultFile(path: string): Promise<{ bytes: Uint8Array; parsed: ParsedVaultFile }> {
  let bytes: Uint8Array;
  try {
    bytes = await readBoundedFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw vaultError(
        'vault_not_found',
        `There is no vault at ${path}. Create one first (mfakit init), or point MFAKIT_VAULT at yours.`,
        error,
      );
    }
    if (isMfaError(error, 'vault_corrupt')) throw error;
    throw ioError('read', path, error);
  }
  return { bytes, parsed: parseVaultFile(bytes) };
}
