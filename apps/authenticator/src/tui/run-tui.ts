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

/** Minutes without a key before the app locks, unless --lock-after or MFAKIT_LOCK_AFTER says otherwise. */
export const DEFAULT_LOCK_AFTER_MINUTES = 5;

/** `--lock-after`, else MFAKIT_LOCK_AFTER, else the default; 0 turns locking off. */
export function lockAfterMs(option: string | undefined, env: Context['env']): number | undefined {
  const text = option ?? env.MFAKIT_LOCK_AFTER;
  if (text === undefined || text === '') return DEFAULT_LOCK_AFTER_MINUTES * 60_000;
  const minutes = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(minutes) || minutes > 24 * 60) {
    throw new CliError(EXIT.usage, 'The lock time is in minutes, from 0 (never lock) to 1440.');
  }
  return minutes === 0 ? undefined : Math.round(minutes * 60_000);
}

export async function runTui(context: Context, lockAfter?: string): Promise<number> {
  const idleMs = lockAfterMs(lockAfter, context.env);
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
  let vault = (await offerFirstVault(context)) ?? (await unlockVault(context));
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
    // Locked after idling, or reloading: the key and secrets are wiped, and the vault is opened again.
    let notice: Parameters<typeof startApp>[3];
    for (;;) {
      const end = await startApp(vault, importSource, idleMs, notice);
      if (end === 'quit') break;
      vault.close();
      notice = undefined;
      if (end === 'locked') {
        const idle = idleMs ?? 0;
        const after = idle >= 60_000 ? `${Math.round(idle / 60_000)} min` : `${Math.round(idle / 1000)} s`;
        context.stderr(`mfakit locked after ${after} without a key.\n`);
        // Ink unrefs stdin when it unmounts: without this the process would end while the prompt waits.
        process.stdin.ref();
        const answer = await promptLine('Press Enter to unlock, or q and Enter to quit: ');
        if (answer.trim().toLowerCase() === 'q') return EXIT.ok;
      } else {
        process.stdin.ref();
        notice = { text: 'Reloaded the vault from disk.', colour: 'green' };
      }
      vault = await unlockVault(context);
    }
    return EXIT.ok;
  } finally {
    vault.close();
  }
}
