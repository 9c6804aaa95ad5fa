/**
 * @module
 * `mfakit code QUERY [--copy]`: the current code of one account (HOTP: uses the counter, then
 * advances and saves it), printed or put on the clipboard. Imports only the vault and core, to
 * start fast.
 */

import { accountCodes, accountLabel } from '../accounts/otp-code.js';
import type { Context } from '../cli/context.js';
import { printJson, withVault } from '../cli/context.js';
import { selectOne } from '../cli/select-account.js';

export async function codeCommand(context: Context, query: string, copy = false): Promise<void> {
  await withVault(context, async (vault) => {
    const account = selectOne(vault.accounts, query);
    const at = context.now();
    const codes = accountCodes(account, at);
    if (account.type === 'hotp') {
      vault.updateAccount(account.id, { counter: account.counter + 1 });
      await vault.save();
    }
    if (context.json) {
      printJson(context, {
        id: account.id,
        issuer: account.issuer,
        name: account.name,
        type: account.type,
        code: codes.current,
        ...(account.type === 'hotp'
          ? { counter: account.counter }
          : { remainingSeconds: codes.remainingSeconds, next: codes.next }),
      });
      return;
    }
    if (copy) {
      // Loaded only for --copy: `mfakit code` stays lean.
      const { copyWithClearing } = await import('../cli/copy-code.js');
      await copyWithClearing(context, codes.current, accountLabel(account));
      return;
    }
    context.stdout(`${codes.current}\n`);
    if (process.stderr.isTTY === true && codes.remainingSeconds !== undefined) {
      context.stderr(`${accountLabel(account)}: valid for ${codes.remainingSeconds} s more\n`);
    }
  });
}
