/**
 * @module
 * The QR code screens' pages: one account's otpauth URI, or every account as Google Authenticator
 * "Transfer accounts" codes. Accounts a transfer cannot carry are left out and named.
 */
import type { Account } from '@mfakit/vault';
import { toOtpAccount } from '../accounts/convert.js';
import { accountLabel } from '../accounts/otp-code.js';
import type { Status } from './app-actions.js';
import type { QrPage } from './QrView.js';

type OtpauthModule = typeof import('@mfakit/otpauth');

export function singleAccountPages(otpauth: OtpauthModule, account: Account): QrPage[] {
  const input = toOtpAccount(account);
  const qr = otpauth.renderQrToTerminal(otpauth.buildOtpauthUri(input), { small: true });
  const warnings = otpauth.compatibilityWarnings(input).map((warning) => warning.message);
  return [{ title: `${accountLabel(account)}: scan with your phone`, qr, warnings }];
}

export function transferPages(
  otpauth: OtpauthModule,
  accounts: readonly Account[],
  size: { columns: number; rows: number },
): { pages: QrPage[] } | { status: Status } {
  const left: Account[] = [];
  const transferable = accounts.filter((account) => {
    try {
      otpauth.buildMigrationUris([toOtpAccount(account)]);
      return true;
    } catch {
      left.push(account);
      return false;
    }
  });
  if (transferable.length === 0) {
    return {
      status: {
        text: 'No account can go into a Google Authenticator transfer; export them one by one (Tab, e).',
        colour: 'yellow',
      },
    };
  }
  const uris = otpauth.buildMigrationUris(transferable.map(toOtpAccount), { maxAccountsPerQr: size.rows < 45 ? 1 : 5 });
  const warnings =
    left.length > 0
      ? [`Left out (Google Authenticator cannot hold them; show their own QR): ${left.map(accountLabel).join(', ')}`]
      : [];
  return {
    pages: uris.map((uri) => ({
      title: 'Google Authenticator: Transfer accounts › Import',
      qr: otpauth.renderQrToTerminal(uri, { small: true }),
      warnings,
    })),
  };
}
