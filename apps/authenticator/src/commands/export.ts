/**
 * @module
 * `mfakit export [QUERY] --format uri|qr|ga|aegis`: the one place (with `--show`) where secrets
 * leave the vault, because the user asked. `--output FILE` writes a new file with mode 0600.
 */
import { writeFile } from 'node:fs/promises';
import type { OtpAccountInput } from '@mfakit/otpauth';
import type { Account } from '@mfakit/vault';
import { toOtpAccount } from '../accounts/convert.js';
import { filterAccounts } from '../accounts/match-accounts.js';
import { accountLabel } from '../accounts/otp-code.js';
import { CliError, inputError, usageError } from '../cli/cli-error.js';
import { type Context, printJson, toCliError, withVault } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';

export type ExportFormat = 'uri' | 'qr' | 'ga' | 'aegis';

export interface ExportOptions {
  format: string;
  output: string | undefined;
  password: string | undefined;
  qr: boolean;
}

export async function exportCommand(
  context: Context,
  query: string | undefined,
  options: ExportOptions,
): Promise<void> {
  const format = options.format;
  if (format !== 'uri' && format !== 'qr' && format !== 'ga' && format !== 'aegis') {
    throw usageError('--format must be uri, qr, ga or aegis');
  }
  const otpauth = await import('@mfakit/otpauth');
  await withVault(context, async (vault) => {
    const accounts = filterAccounts(vault.accounts, query ?? '');
    if (accounts.length === 0) throw new CliError(EXIT.noSingleMatch, 'No account to export.');
    const inputs = accounts.map(toOtpAccount);
    let text: string;
    let json: unknown;
    try {
      if (format === 'uri') {
        const uris = inputs.map((input) => otpauth.buildOtpauthUri(input));
        text = uris.map((uri) => `${uri}\n`).join('');
        json = accounts.map((account, index) => ({
          id: account.id,
          issuer: account.issuer,
          name: account.name,
          uri: uris[index],
        }));
      } else if (format === 'qr') {
        text = accounts
          .map((account, index) => qrBlock(otpauth, account, otpauth.buildOtpauthUri(inputs[index] as OtpAccountInput)))
          .join('\n');
        json = undefined;
      } else if (format === 'ga') {
        const uris = otpauth.buildMigrationUris(inputs);
        text = options.qr
          ? uris
              .map(
                (uri, index) =>
                  `Google Authenticator transfer ${index + 1} of ${uris.length}\n${otpauth.renderQrToTerminal(uri)}`,
              )
              .join('\n')
          : uris.map((uri) => `${uri}\n`).join('');
        json = uris;
      } else {
        const password = options.password ?? context.env.MFAKIT_EXPORT_PASSWORD;
        text = `${password === undefined ? otpauth.buildAegisVault(inputs) : await otpauth.encryptAegisVault(inputs, password)}\n`;
        json = undefined;
      }
    } catch (error) {
      throw toCliError(error);
    }
    if (context.json && json === undefined && format === 'qr') throw usageError('--json does not apply to --format qr');
    const output = context.json && json !== undefined ? `${JSON.stringify(json, null, 2)}\n` : text;
    if (options.output !== undefined) {
      try {
        await writeFile(options.output, output, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        throw inputError(
          `Could not write ${options.output} (${(error as NodeJS.ErrnoException).code ?? 'error'}); an existing file is never replaced.`,
          error,
        );
      }
      if (context.json) printJson(context, { exported: accounts.length, file: options.output, format });
      else
        context.stderr(
          `Exported ${accounts.length} account${accounts.length === 1 ? '' : 's'} to ${options.output}.\n`,
        );
      return;
    }
    if (context.json && json !== undefined) printJson(context, json);
    else context.stdout(text);
  });
}

function qrBlock(otpauth: typeof import('@mfakit/otpauth'), account: Account, uri: string): string {
  const warnings = otpauth.compatibilityWarnings(toOtpAccount(account));
  const lines = [`${accountLabel(account)}: scan with your phone`];
  for (const warning of warnings) lines.push(`warning: ${warning.message}`);
  return `${lines.join('\n')}\n${otpauth.renderQrToTerminal(uri)}`;
}
