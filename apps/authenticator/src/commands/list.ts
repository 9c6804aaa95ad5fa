/**
 * @module
 * `mfakit list`: the accounts (never their secrets), optionally filtered by a query. The text
 * output shows the first 8 characters of each id (a QUERY takes them, as git takes a short
 * hash), so a line fits 80 columns; `--json` has the whole id.
 */
import { base32Encode } from '@mfakit/core';
import { filterAccounts } from '../accounts/match-accounts.js';
import type { Context } from '../cli/context.js';
import { printJson, withVault } from '../cli/context.js';
import { describeAccount } from '../cli/select-account.js';

export async function listCommand(context: Context, query: string | undefined, show: boolean): Promise<void> {
  await withVault(context, async (vault) => {
    const accounts = filterAccounts(vault.accounts, query ?? '');
    if (context.json) {
      printJson(
        context,
        accounts.map((account) => ({
          ...describeAccount(account),
          ...(show ? { secret: base32Encode(account.secret) } : {}),
        })),
      );
      return;
    }
    if (accounts.length === 0) {
      context.stderr(
        query === undefined ? 'The vault has no accounts yet; add one with `mfakit add`.\n' : 'No match.\n',
      );
      return;
    }
    const width = Math.max(6, ...accounts.map((account) => account.issuer.length));
    for (const account of accounts) {
      const kind =
        account.type === 'steam'
          ? 'Steam Guard, 5 characters'
          : `${account.type === 'hotp' ? `hotp #${account.counter}` : `totp ${account.period}s`}, ${account.digits} digits, ${account.algorithm}`;
      context.stdout(
        `${account.issuer.padEnd(width)}  ${account.name}  [${kind}]  ${account.id.slice(0, 8)}${show ? `  ${base32Encode(account.secret)}` : ''}${account.note === '' ? '' : `\n${''.padEnd(width)}  note: ${account.note.replace(/\s+/g, ' ')}`}\n`,
      );
    }
  });
}
