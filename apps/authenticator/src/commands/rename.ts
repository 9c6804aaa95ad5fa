/**
 * @module
 * `mfakit rename QUERY [--issuer I] [--account A]`.
 */
import { accountLabel } from '../accounts/otp-code.js';
import { inputError, usageError } from '../cli/cli-error.js';
import { type Context, printJson, withVault } from '../cli/context.js';
import { describeAccount, selectOne } from '../cli/select-account.js';

export async function renameCommand(
  context: Context,
  query: string,
  changes: { issuer: string | undefined; account: string | undefined },
): Promise<void> {
  if (changes.issuer === undefined && changes.account === undefined) {
    throw usageError('rename needs --issuer and/or --account');
  }
  await withVault(context, async (vault) => {
    const account = selectOne(vault.accounts, query);
    const issuer = changes.issuer?.trim() ?? account.issuer;
    const name = changes.account?.trim() ?? account.name;
    if (issuer === '' && name === '') throw inputError('An account needs an issuer or a name.');
    const renamed = vault.updateAccount(account.id, { issuer, name });
    await vault.save();
    if (context.json) printJson(context, { renamed: describeAccount(renamed) });
    else context.stderr(`Renamed ${accountLabel(account)} to ${accountLabel(renamed)}.\n`);
  });
}
