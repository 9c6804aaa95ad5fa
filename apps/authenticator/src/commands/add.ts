/**
 * @module
 * `mfakit add`: one account from an otpauth URI or from fields. The secret can be read from stdin
 * (`--secret -`, `--uri -`) so it does not show in the process list or shell history.
 */
import { type AccountFieldsInput, validateAccountFields } from '../accounts/account-fields.js';
import { fromOtpAccount, isSameAccount, toOtpAccount } from '../accounts/convert.js';
import { accountLabel } from '../accounts/otp-code.js';
import { inputError, usageError } from '../cli/cli-error.js';
import { type Context, printJson, toCliError, withVault } from '../cli/context.js';
import { describeAccount } from '../cli/select-account.js';
import { readStdin } from '../cli/stdin.js';

export interface AddOptions extends AccountFieldsInput {
  uri: string | undefined;
  note: string | undefined;
}

export async function addCommand(context: Context, options: AddOptions): Promise<void> {
  const otpauth = await import('@mfakit/otpauth');
  let newAccount: import('@mfakit/vault').NewAccount;
  // The label's issuer prefix when it differed from the issuer parameter (the parameter is used).
  let labelIssuer: string | undefined;
  if (options.uri !== undefined) {
    if (options.issuer !== undefined || options.account !== undefined || options.secret !== undefined) {
      throw usageError('give either --uri or --issuer/--account/--secret, not both');
    }
    const uri = options.uri === '-' ? (await readStdin()).trim() : options.uri;
    try {
      const parsed = otpauth.parseOtpauthUri(uri);
      labelIssuer = parsed.labelIssuer;
      newAccount = fromOtpAccount(parsed, options.note ?? '');
    } catch (error) {
      throw toCliError(error);
    }
  } else {
    if (options.secret === undefined)
      throw usageError('add needs --uri URI, or --secret with --issuer and/or --account');
    const secret = options.secret === '-' ? (await readStdin()).trim() : options.secret;
    const result = validateAccountFields({ ...options, secret });
    if (!result.ok) {
      const problems = Object.entries(result.errors).map(([field, message]) => `--${field}: ${message}`);
      throw inputError(`The account is not valid: ${problems.join('; ')}.`);
    }
    newAccount = { ...result.account, note: options.note ?? '' };
  }
  await withVault(context, async (vault) => {
    if (vault.accounts.some((existing) => isSameAccount(newAccount, existing))) {
      throw inputError('This account (same issuer, name and secret) is already in the vault.');
    }
    const added = vault.addAccount(newAccount);
    await vault.save();
    const warnings = otpauth.compatibilityWarnings({ ...toOtpAccount(added), labelIssuer });
    if (context.json) {
      printJson(context, {
        added: describeAccount(added),
        warnings: warnings.map(({ code, message }) => ({ code, message })),
      });
      return;
    }
    context.stderr(`Added ${accountLabel(added)}.\n`);
    for (const warning of warnings) {
      // A short secret is the site's choice, which the user cannot change, and a Steam token is what
      // Steam issues: notes, not warnings.
      const note = warning.code === 'short_secret' || warning.code === 'steam_token';
      context.stderr(`${note ? 'note' : 'warning'}: ${warning.message}\n`);
    }
  });
}
