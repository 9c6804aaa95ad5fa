/**
 * @module
 * The QR code screens' pages: one account's otpauth URI, or every account as Google Authenticator
 * "Transfer accounts" codes packed for the terminal at hand (the larger the terminal, the more
 * accounts a code holds, up to the 10 Google Authenticator puts in one itself). Accounts a
 * transfer cannot carry are left out and named.
 */
import type { Account } from '@mfakit/vault';
import { toOtpAccount } from '../accounts/convert.js';
import { accountLabel } from '../accounts/otp-code.js';
import type { Status } from './app-actions.js';
import type { QrPage } from './QrView.js';

type OtpauthModule = typeof import('@mfakit/otpauth');

/** Accounts per transfer code at most: what Google Authenticator's own export puts in one. */
export const MAX_ACCOUNTS_PER_TRANSFER_QR = 10;

export function singleAccountPages(otpauth: OtpauthModule, account: Account): QrPage[] {
  const input = toOtpAccount(account);
  // A short secret is the site's choice and was noted when the account was added: not repeated here.
  const warnings = otpauth
    .compatibilityWarnings(input)
    .filter((warning) => warning.code !== 'short_secret')
    .map((warning) => warning.message);
  return [{ title: `${accountLabel(account)}: scan with your phone`, text: otpauth.buildOtpauthUri(input), warnings }];
}

export function transferPages(
  otpauth: OtpauthModule,
  accounts: readonly Account[],
  /** The longest text whose code fits this terminal (`largestFittingText` of src/qr). */
  fits: number,
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
        text: 'No account can go into a Google Authenticator transfer; show their own QR codes (Tab, e).',
        colour: 'yellow',
      },
    };
  }
  // buildMigrationUris packs by URI length down to 200 characters; below that, one account a code.
  const uris =
    fits >= 200
      ? otpauth.buildMigrationUris(transferable.map(toOtpAccount), {
          maxUriLength: Math.min(fits, otpauth.MAX_QR_BYTES),
          maxAccountsPerQr: MAX_ACCOUNTS_PER_TRANSFER_QR,
        })
      : otpauth.buildMigrationUris(transferable.map(toOtpAccount), { maxAccountsPerQr: 1 });
  const warnings =
    left.length > 0
      ? [`Left out (Google Authenticator cannot hold them; show their own QR): ${left.map(accountLabel).join(', ')}`]
      : [];
  return {
    pages: uris.map((uri) => ({ title: 'Google Authenticator: Transfer accounts › Import', text: uri, warnings })),
  };
}
