/**
 * @module
 * Rollback detection: each save numbers the file (`generation` in the authenticated header), and
 * this machine remembers the highest generation it has opened or written of each vault, in a small
 * file per vault id outside the vault's directory (`<data dir>/vault-generations/<vaultId>`).
 * Opening a file older than that is refused (`vault_rolled_back`) unless the caller accepts it.
 *
 * Why a file in the data directory and not the keychain: it works for passphrase-only vaults too,
 * it costs no Secret Service round trip on every open and save, and it is never written together
 * with key material. It catches what puts an old copy back at the vault's path without touching
 * the rest of the home directory: a sync service's conflict, a restore of the vault's folder from
 * a backup, someone who can write only that folder or the file. Someone who can write the user's
 * whole home can also reset this record (or the keychain): no local record stops them.
 *
 * The record is best effort: failing to read or write it never fails an open or a save (it only
 * weakens the check), and it is written after the vault file is durable, so a crash can leave it
 * behind the file (no false alarm) but never ahead of it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { envOption, pathArgument } from './options.js';
import type { VaultLocationOptions } from './paths.js';

/**
 * Where rollback detection keeps its records. Each save numbers the file (`generation`, in the
 * authenticated header) and this machine remembers the highest number it opened or wrote per vault
 * id; opening an older file fails with `vault_rolled_back`. This catches an old copy put back by a
 * sync conflict, a restore or someone who can write only the vault's folder; someone who can write
 * the user's whole home can reset the record too. The record is best effort: failing to read or
 * write it never fails an open or a save.
 */
export interface RollbackOptions extends VaultLocationOptions {
  /**
   * Where this machine remembers the newest generation of each vault it opened. Default:
   * `MFAKIT_STATE_DIR` from `env`, else the user's data directory (`~/.local/share/mfakit` on
   * Linux, `~/Library/Application Support/mfakit` on macOS, `%LOCALAPPDATA%\mfakit\Data` on
   * Windows). `false` turns rollback detection off.
   */
  stateDirectory?: string | false | undefined;
}

const RECORD_DIRECTORY = 'vault-generations';
const MAX_RECORD_BYTES = 64;

/** The directory of the generation records, or `undefined` when detection is off. */
export function resolveStateDirectory(options: RollbackOptions): string | undefined {
  const { stateDirectory } = options;
  if (stateDirectory === false) return undefined;
  if (stateDirectory !== undefined) return join(pathArgument(stateDirectory, 'stateDirectory'), RECORD_DIRECTORY);
  const fromEnv = (envOption(options.env) ?? process.env).MFAKIT_STATE_DIR;
  const base = fromEnv !== undefined && fromEnv !== '' ? fromEnv : envPaths('mfakit', { suffix: '' }).data;
  return join(base, RECORD_DIRECTORY);
}

/** The highest generation recorded for `vaultId` (0 when none, or when the record is unreadable). */
export async function readSeenGeneration(directory: string | undefined, vaultId: string): Promise<number> {
  if (directory === undefined) return 0;
  let text: string;
  try {
    const bytes = await readFile(join(directory, vaultId));
    if (bytes.length > MAX_RECORD_BYTES) return 0;
    text = bytes.toString('utf8').trim();
  } catch {
    return 0;
  }
  if (!/^[0-9]{1,16}$/.test(text)) return 0;
  const generation = Number(text);
  return Number.isSafeInteger(generation) ? generation : 0;
}

/** Records `generation` for `vaultId` (atomically; errors are swallowed: the record is advisory). */
export async function recordSeenGeneration(
  directory: string | undefined,
  vaultId: string,
  generation: number,
): Promise<void> {
  if (directory === undefined) return;
  const staging = join(directory, `.${vaultId}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await writeFile(staging, `${generation}\n`, { mode: 0o600, flag: 'wx' });
    await rename(staging, join(directory, vaultId));
  } catch {
    await unlink(staging).catch(() => undefined);
  }
}
