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
import { renderHalfBlockQr } from '../qr/half-block-qr.js';
import { largestFittingText } from '../qr/qr-layout.js';

/**
 * A QR code for the terminal, two modules a character (half blocks). On a terminal it is pinned
 * white on black, so it scans on a light theme too; piped, it is plain text with no escapes.
 */
function terminalQr(text: string, tty: boolean): string {
  const lines = renderHalfBlockQr(text).text.split('\n');
  return `${(tty ? lines.map((line) => `\u001b[97;40m${line}\u001b[0m`) : lines).join('\n')}\n`;
}

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
  const tty = options.output === undefined && process.stdout.isTTY === true;
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
          .map((account, index) =>
            qrBlock(otpauth, account, otpauth.buildOtpauthUri(inputs[index] as OtpAccountInput), tty),
          )
          .join('\n');
        json = undefined;
      } else if (format === 'ga') {
        // Accounts a transfer cannot hold (7 digits, a period other than 30 s) are left out and
        // named, as the app does, rather than failing the whole export.
        const left: Account[] = [];
        const transferable = inputs.filter((input, index) => {
          try {
            otpauth.buildMigrationUris([input]);
            return true;
          } catch {
            left.push(accounts[index] as Account);
            return false;
          }
        });
        if (left.length > 0) {
          context.stderr(
            `Left out (Google Authenticator cannot hold them; export them with --format uri or qr): ${left.map(accountLabel).join(', ')}\n`,
          );
        }
        if (transferable.length === 0) throw inputError('No account can go into a Google Authenticator transfer.');
        // On a terminal, each code is packed to fit it; otherwise 10 accounts a code, as the app itself.
        const fits =
          options.qr && tty ? largestFittingText({ columns: process.stdout.columns, rows: process.stdout.rows }) : 0;
        const uris = otpauth.buildMigrationUris(
          transferable,
          fits >= 200 ? { maxUriLength: Math.min(fits, otpauth.MAX_QR_BYTES) } : {},
        );
        text = options.qr
          ? uris
              .map(
                (uri, index) => `Google Authenticator transfer ${index + 1} of ${uris.length}\n${terminalQr(uri, tty)}`,
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
        throw new CliError(
          EXIT.vault,
          `Could not write ${options.output} (${(error as NodeJS.ErrnoException).code ?? 'error'}); an existing file is never replaced.`,
          { cause: error },
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

function qrBlock(otpauth: typeof import('@mfakit/otpauth'), account: Account, uri: string, tty: boolean): string {
  const warnings = otpauth.compatibilityWarnings(toOtpAccount(account));
  const lines = [`${accountLabel(account)}: scan with your phone`];
  for (const warning of warnings) lines.push(`warning: ${warning.message}`);
  return `${lines.join('\n')}\n${terminalQr(uri, tty)}`;
}
