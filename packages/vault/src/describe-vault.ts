/**
 * @module
 * What can be known about a vault without unlocking it: where it is and which slots it has, so a
 * CLI can decide whether to ask for a passphrase before calling `openVault`.
 */
import { optionsObject } from './options.js';
import { resolveVaultPath, type VaultLocationOptions } from './paths.js';
import { readVaultFile } from './read-vault-file.js';
import { type SlotInfo, slotInfo } from './vault.js';

export interface VaultDescription {
  readonly path: string;
  readonly formatVersion: number;
  readonly slots: readonly SlotInfo[];
}

/** Reads and checks the header of the vault file (rejects like `openVault` for missing/damaged/newer files). */
export async function describeVault(options?: VaultLocationOptions): Promise<VaultDescription> {
  const path = resolveVaultPath(optionsObject(options, 'describeVault options'));
  const { parsed } = await readVaultFile(path);
  return { path, formatVersion: parsed.header.version, slots: parsed.header.slots.map(slotInfo) };
}
