/**
 * @module
 * `mfakit import FILE|URI|-`: adds every account of an export; accounts already in the vault (same
 * issuer, name and secret) are not added twice.
 */
import { readFile } from 'node:fs/promises';
import { isMfaError } from '@mfakit/core';
import { hasSameSecret } from '../accounts/convert.js';
import { accountLabel } from '../accounts/otp-code.js';
import { ImportPasswordRequired, readImport } from '../accounts/read-import.js';
import { CliError, inputError } from '../cli/cli-error.js';
import { type Context, printJson, toCliError, withVault } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';
import { canPrompt, promptHidden } from '../cli/prompt.js';
import { describeAccount } from '../cli/select-account.js';
import { readStdin } from '../cli/stdin.js';

export async function importCommand(context: Context, source: string, password: string | undefined): Promise<void> {
  const text = await readSource(source);
  let result: Awaited<ReturnType<typeof readImport>>;
  try {
    try {
      result = await readImport(text, password ?? context.env.MFAKIT_IMPORT_PASSWORD);
    } catch (error) {
      if (!(error instanceof ImportPasswordRequired)) throw error;
      if (!canPrompt()) {
        throw new CliError(EXIT.locked, 'This Aegis export is encrypted: give --password or MFAKIT_IMPORT_PASSWORD.');
      }
      result = await readImport(text, await promptHidden('Password of the Aegis export: '));
    }
  } catch (error) {
    throw toCliError(error);
  }
  await withVault(context, async (vault) => {
    const added = [];
    let duplicates = 0;
    for (const account of result.accounts) {
      if (vault.accounts.some((existing) => hasSameSecret(account, existing))) {
        duplicates += 1;
        continue;
      }
      added.push(vault.addAccount(account));
    }
    await vault.save();
    if (context.json) {
      printJson(context, {
        format: result.format,
        imported: added.map(describeAccount),
        duplicates,
        skipped: result.skipped,
      });
      return;
    }
    for (const account of added) context.stderr(`+ ${accountLabel(account)}\n`);
    for (const skip of result.skipped) {
      context.stderr(`skipped ${skip.where}${skip.label === '' ? '' : ` ${skip.label}`}: ${skip.message}\n`);
    }
    context.stderr(
      `Imported ${added.length} account${added.length === 1 ? '' : 's'}` +
        `${duplicates > 0 ? `, ${duplicates} already in the vault` : ''}` +
        `${result.skipped.length > 0 ? `, ${result.skipped.length} skipped` : ''}.\n`,
    );
  });
}

async function readSource(source: string): Promise<string> {
  if (source === '-') return await readStdin();
  if (/^otpauth(-migration)?:/i.test(source)) return source;
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    if (isMfaError(error)) throw error;
    throw inputError(`Could not read ${source} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, error);
  }
}
