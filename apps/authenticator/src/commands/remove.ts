/**
 * @module
 * `mfakit remove QUERY`: deletes one account, after a confirmation on a terminal (or `--yes`).
 */
import { accountLabel } from '../accounts/otp-code.js';
import { CliError, usageError } from '../cli/cli-error.js';
import { type Context, printJson, withVault } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';
import { canPrompt, promptLine } from '../cli/prompt.js';
import { describeAccount, selectOne } from '../cli/select-account.js';

export async function removeCommand(context: Context, query: string, yes: boolean): Promise<void> {
  await withVault(context, async (vault) => {
    const account = selectOne(vault.accounts, query);
    if (!yes) {
      if (!canPrompt()) throw usageError('remove needs --yes when not run in a terminal');
      const answer = await promptLine(`Delete ${accountLabel(account)}? You cannot undo this. [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) throw new CliError(EXIT.failure, 'Nothing was deleted.');
    }
    vault.removeAccount(account.id);
    await vault.save();
    if (context.json) printJson(context, { removed: describeAccount(account) });
    else context.stderr(`Removed ${accountLabel(account)}.\n`);
  });
}
