/**
 * @module
 * `mfakit codes [QUERY]`: the current code of every matching account at once, as `2fa` and
 * `ykman oath accounts code` print them. HOTP accounts are listed without a code: showing one
 * uses it (see `mfakit code`), which a listing must not do to every counter.
 */
import { filterAccounts } from '../accounts/match-accounts.js';
import { accountCodes, accountLabel } from '../accounts/otp-code.js';
import { CliError } from '../cli/cli-error.js';
import type { Context } from '../cli/context.js';
import { printJson, withVault } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';

export async function codesCommand(context: Context, query: string | undefined): Promise<void> {
  await withVault(context, async (vault) => {
    const accounts = filterAccounts(vault.accounts, query ?? '');
    if (accounts.length === 0) {
      throw new CliError(
        query === undefined ? EXIT.ok : EXIT.noSingleMatch,
        query === undefined
          ? 'The vault has no accounts yet; add one with `mfakit add`.'
          : `No account matches "${query}".`,
      );
    }
    const at = context.now();
    const rows = accounts.map((account) => {
      const codes = account.type === 'hotp' ? undefined : accountCodes(account, at);
      return { account, codes };
    });
    if (context.json) {
      printJson(
        context,
        rows.map(({ account, codes }) => ({
          id: account.id,
          issuer: account.issuer,
          name: account.name,
          type: account.type,
          ...(codes === undefined ? {} : { code: codes.current, remainingSeconds: codes.remainingSeconds }),
        })),
      );
      return;
    }
    const width = Math.max(...rows.map(({ account }) => accountLabel(account).length));
    for (const { account, codes } of rows) {
      const label = accountLabel(account).padEnd(width);
      context.stdout(
        codes === undefined
          ? `${label}  (HOTP: mfakit code uses the next one)\n`
          : `${label}  ${codes.current.padStart(8)}  ${codes.remainingSeconds}s\n`,
      );
    }
  });
}
