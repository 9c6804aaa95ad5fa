/**
 * @module
 * Where the vault lives: an explicit path, else `MFAKIT_VAULT`, else `vault.mfakit` in the user's
 * config directory (env-paths: `$XDG_CONFIG_HOME/mfakit` on Linux, `~/Library/Preferences/mfakit` on
 * macOS, `%APPDATA%\mfakit\Config` on Windows). The backup of the previous version sits next to it.
 */
import { resolve } from 'node:path';
import envPaths from 'env-paths';
import { envOption, optionsObject, pathArgument } from './options.js';

/** The vault's file name in the user's config directory when neither `path` nor `MFAKIT_VAULT` is set. */
export const VAULT_FILE_NAME = 'vault.mfakit';
/**
 * Appended to the vault path for the backup: every save first keeps the previous version there
 * (mode 0600). It is encrypted like the vault; opening it is a rollback (`MFAKIT_ACCEPT_ROLLBACK=1`).
 */
export const BACKUP_SUFFIX = '.bak';

/** Which vault file: an explicit `path`, else `MFAKIT_VAULT` in `env`, else the default location. */
export interface VaultLocationOptions {
  /** The vault file. Default: `MFAKIT_VAULT`, else `vault.mfakit` in the user's config directory. */
  path?: string | undefined;
  /** Environment to read `MFAKIT_VAULT` (and, for openVault, `MFAKIT_PASSPHRASE`) from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The absolute path of the vault file these options select. */
export function resolveVaultPath(options?: VaultLocationOptions): string {
  const { path, env } = optionsObject(options, 'options');
  const environment = envOption(env) ?? process.env;
  if (path !== undefined) return resolve(pathArgument(path, 'path'));
  const fromEnv = environment.MFAKIT_VAULT;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return resolve(envPaths('mfakit', { suffix: '' }).config, VAULT_FILE_NAME);
}

/** The backup of the previous version of the vault at `vaultPath`. */
export function backupPath(vaultPath: string): string {
  return pathArgument(vaultPath, 'vaultPath') + BACKUP_SUFFIX;
}
