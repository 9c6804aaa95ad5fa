/**
 * @module
 * Starts the interactive app: unlocks the vault first (a passphrase prompt, if needed, happens
 * before Ink takes over the terminal), then loads Ink, React and the QR code libraries.
 */
import { readFile } from 'node:fs/promises';
import { isMfaError, MfaError } from '@mfakit/core';
import type { Vault } from '@mfakit/vault';
import { CliError } from '../cli/cli-error.js';
import { type Context, location, unlockVault } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';
import { promptLine } from '../cli/prompt.js';

/**
 * First run: with no vault yet, ask how to protect a new one instead of exiting with
 * "run mfakit init", so `mfakit` alone is enough to get started. Returns the new vault still
 * unlocked (the caller closes it): the passphrase just typed twice is not asked for a third time.
 */
async function offerFirstVault(context: Context): Promise<Vault | undefined> {
  const { existsSync } = await import('node:fs');
  const { resolveVaultPath } = await import('@mfakit/vault');
  const path = resolveVaultPath(location(context));
  if (existsSync(path)) return undefined;
  context.stderr(`No vault yet at ${path}.\n`);
  for (;;) {
    const answer = (await promptLine('Create it, unlocked by the OS [k]eychain, a [p]assphrase, or [q]uit? [k/p/q] '))
      .trim()
      .toLowerCase();
    // Empty is also what Ctrl-D gives: leaving is the safe reading of it.
    if (answer === '' || answer === 'q' || answer === 'quit') throw new CliError(EXIT.ok, 'No vault created.');
    const keychain = answer === 'k' || answer === 'keychain';
    if (keychain || answer === 'p' || answer === 'passphrase') {
      const { createInitialVault } = await import('../commands/init.js');
      try {
        return await createInitialVault(context, { keychain, passphrase: !keychain, scryptLogN: undefined });
      } catch (error) {
        // No Secret Service, or two passphrases that differ: nothing was written; say why and ask
        // again rather than end the first run. Anything else (Ctrl-C, an I/O error) ends it.
        const retry =
          error instanceof CliError && (error.exitCode === EXIT.locked || error.exitCode === EXIT.invalidInput);
        if (!retry) throw error;
        context.stderr(`${error.message}\n`);
        continue;
      }
    }
    context.stderr('Please type k, p or q, then Enter.\n');
  }
}

export async function runTui(context: Context): Promise<number> {
  if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
    throw new CliError(
      EXIT.usage,
      'The interactive app needs a terminal; use the subcommands in scripts (mfakit --help).',
    );
  }
  // React's development build is several times slower to load and render.
  const env = process.env;
  env.NODE_ENV ??= 'production';
  // Ink renders only the last frame when it believes it runs in CI (is-in-ci reads CI and
  // CONTINUOUS_INTEGRATION when Ink is imported). We checked for a real terminal above, so a CI
  // variable inherited from a build shell or dev container must not blank the screen.
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) {
    if (name in process.env) process.env[name] = 'false';
  }
  // Load Ink and React while scrypt or the keychain unlocks the vault (both wait off the main thread).
  const modules = Promise.all([import('./start-app.js'), import('../accounts/read-import.js')]);
  modules.catch(() => undefined);
  const vault = (await offerFirstVault(context)) ?? (await unlockVault(context));
  try {
    const [{ startApp }, { readImport }] = await modules;
    const importSource = async (source: string, password: string | undefined) => {
      const text = /^otpauth(-migration)?:/i.test(source)
        ? source
        : await readFile(source, 'utf8').catch((error) => {
            throw new MfaError(
              'import_unreadable',
              `Could not read ${source} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
            );
          });
      try {
        const result = await readImport(text, password);
        return {
          accounts: result.accounts,
          skipped: result.skipped.map((skip) => `${skip.label === '' ? skip.where : skip.label}: ${skip.message}`),
        };
      } catch (error) {
        if (isMfaError(error, 'aegis_password_required')) {
          throw new MfaError('aegis_password_required', 'This Aegis export is encrypted: fill in its password.');
        }
        throw error;
      }
    };
    await startApp(vault, importSource);
    return EXIT.ok;
  } finally {
    vault.close();
  }
}
