/**
 * @module
 * `mfakit init`: creates the vault with a keychain slot, a passphrase slot, or both.
 * Default: the keychain, unless `--passphrase` is given or MFAKIT_PASSPHRASE is set.
 */
import { isMfaError } from '@mfakit/core';
import type { Vault } from '@mfakit/vault';
import { CliError } from '../cli/cli-error.js';
import { type Context, location, printJson, toCliError } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';
import { canPrompt, promptNewPassphrase } from '../cli/prompt.js';

export interface InitOptions {
  keychain: boolean;
  passphrase: boolean;
  scryptLogN: number | undefined;
}

export async function initCommand(context: Context, options: InitOptions): Promise<void> {
  (await createInitialVault(context, options)).close();
}

/**
 * Creates the vault and reports it as `mfakit init` does, and returns it still unlocked, so that the
 * first run of the app can use it without asking for the passphrase it was just given. The caller
 * must close it.
 */
export async function createInitialVault(context: Context, options: InitOptions): Promise<Vault> {
  const envPassphrase = context.env.MFAKIT_PASSPHRASE;
  const wantPassphrase =
    options.passphrase || (!options.keychain && envPassphrase !== undefined && envPassphrase !== '');
  const wantKeychain = options.keychain || !wantPassphrase;
  let passphrase: string | undefined;
  if (wantPassphrase) {
    if (envPassphrase !== undefined && envPassphrase !== '') passphrase = envPassphrase;
    else if (canPrompt()) passphrase = await promptNewPassphrase();
    else
      throw new CliError(EXIT.locked, 'A passphrase vault needs MFAKIT_PASSPHRASE, or run mfakit init in a terminal.');
  }
  const { createVault } = await import('@mfakit/vault');
  let vault: Vault;
  try {
    vault = await createVault({
      ...location(context),
      keychain: wantKeychain,
      passphrase,
      scryptLogN: options.scryptLogN,
    });
  } catch (error) {
    if (isMfaError(error, 'keychain_unavailable') && !wantPassphrase) {
      // Nothing was created: say what works without a keychain.
      throw new CliError(
        EXIT.locked,
        `${error.message} Or protect the vault with a passphrase instead: mfakit init --passphrase.`,
        { cause: error },
      );
    }
    throw toCliError(error);
  }
  try {
    const slots = vault.slots.map((slot) => slot.type);
    if (context.json) printJson(context, { path: vault.path, slots });
    else context.stderr(`Created ${vault.path} (unlocks with: ${slots.join(' or ')}).\n`);
    return vault;
  } catch (error) {
    vault.close();
    throw error;
  }
}
