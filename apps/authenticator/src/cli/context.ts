/**
 * @module
 * What every command gets: parsed global options, output helpers that keep stdout for results and
 * stderr for messages, and vault unlocking (MFAKIT_PASSPHRASE, the keychain, or a prompt).
 */
import { isMfaError } from '@mfakit/core';
import type { Vault } from '@mfakit/vault';
import { CliError, exitCodeOf } from './cli-error.js';
import { canPrompt, promptHidden } from './prompt.js';

export interface Context {
  /** `--vault PATH`, else undefined (the vault package then reads MFAKIT_VAULT or the default path). */
  vaultPath: string | undefined;
  json: boolean;
  env: Readonly<Record<string, string | undefined>>;
  now: () => number;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function defaultContext(vaultPath: string | undefined, json: boolean): Context {
  return {
    vaultPath,
    json,
    env: process.env,
    now: Date.now,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}

export function printJson(context: Context, value: unknown): void {
  context.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

export function location(context: Context): { path?: string; env: Context['env'] } {
  return context.vaultPath === undefined ? { env: context.env } : { path: context.vaultPath, env: context.env };
}

/**
 * Opens the vault: MFAKIT_PASSPHRASE if set, else a keychain slot, else (on a terminal) asks for the
 * passphrase. Library errors become CliErrors with the documented exit codes.
 */
export async function unlockVault(context: Context): Promise<Vault> {
  const { openVault } = await import('@mfakit/vault');
  try {
    return await openVault(location(context));
  } catch (error) {
    const promptable =
      isMfaError(error) &&
      (error.code === 'passphrase_required' ||
        error.code === 'keychain_unavailable' ||
        error.code === 'keychain_key_missing');
    if (!promptable || !canPrompt() || !(await hasPassphraseSlot(context))) throw toCliError(error);
    // A typo asks again, as sudo and ssh do; MFAKIT_PASSPHRASE (scripts) is never retried.
    for (let attempt = 1; ; attempt += 1) {
      const passphrase = await promptHidden('Vault passphrase: ');
      try {
        return await openVault({ ...location(context), passphrase, keychain: false });
      } catch (retryError) {
        if (!isMfaError(retryError, 'wrong_passphrase') || attempt === PASSPHRASE_ATTEMPTS) {
          throw toCliError(retryError);
        }
        const left = PASSPHRASE_ATTEMPTS - attempt;
        context.stderr(`Wrong passphrase; try again (${left} ${left === 1 ? 'try' : 'tries'} left).\n`);
      }
    }
  }
}

/** How many times a terminal prompt asks for the passphrase before giving up (exit code 3). */
export const PASSPHRASE_ATTEMPTS = 3;

async function hasPassphraseSlot(context: Context): Promise<boolean> {
  const { describeVault } = await import('@mfakit/vault');
  const description = await describeVault(location(context));
  return description.slots.some((slot) => slot.type === 'passphrase');
}

/** Library errors (MfaError) → CliError with the exit code of their code; others pass through. */
export function toCliError(error: unknown): unknown {
  if (error instanceof CliError) return error;
  if (isMfaError(error)) {
    // The vault's own messages already say what to do; only the passphrase one is said the CLI's way.
    const message =
      error.code === 'passphrase_required'
        ? 'This vault is locked with a passphrase: run mfakit in a terminal to type it, or set MFAKIT_PASSPHRASE in scripts.'
        : error.message;
    return new CliError(exitCodeOf(error.code), message, { cause: error });
  }
  return error;
}

/** Runs `work` on an unlocked vault and always closes it (wiping the key and secrets). */
export async function withVault<T>(context: Context, work: (vault: Vault) => Promise<T>): Promise<T> {
  const vault = await unlockVault(context);
  try {
    return await work(vault);
  } catch (error) {
    throw toCliError(error);
  } finally {
    vault.close();
  }
}
