/**
 * @module
 * What can be known about a vault without unlocking it: where it is and which slots it has, so a
 * CLI can decide whether to ask for a passphrase before calling `openVault`.
 */
import { optionsObject } from './options.js';
import { resolveVaultPath, type VaultLocationOptions } from './paths.js';
import { readVaultFile } from './read-vault-file.js';
import { type SlotInfo, slotInfo } from './vault.js';

/** What {@link describeVault} reads from a vault's header, without any key. */
export interface VaultDescription {
  /** Absolute path of the vault file. */
  readonly path: string;
  /** The file's format version (at most `FORMAT_VERSION`). */
  readonly formatVersion: number;
  /** The key slots: a `passphrase` slot means a passphrase can unlock it, `keychain` slots the OS keychain. */
  readonly slots: readonly SlotInfo[];
}

/**
 * Reads and checks the header of the vault file without unlocking it, so a CLI can tell whether to
 * ask for a passphrase. Rejects like `openVault` for a missing (`vault_not_found`), damaged
 * (`vault_corrupt`), newer (`vault_unsupported_version`) or unreadable (`vault_io`) file. The
 * header is only checksummed here, not authenticated: someone who can write the file can change
 * what this reports (`openVault` would then refuse it).
 */
export async function describeVault(options?: VaultLocationOptions): Promise<VaultDescription> {
  const path = resolveVaultPath(optionsObject(options, 'describeVault options'));
  const { parsed } = await readVaultFile(path);
  return { path, formatVersion: parsed.header.version, slots: parsed.header.slots.map(slotInfo) };
}
