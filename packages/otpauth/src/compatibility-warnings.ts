/**
 * @module
 * What authenticator apps may do differently from the account as specified. Google's Key Uri
 * Format page documents that (older) Google Authenticator versions ignore `algorithm`, `digits`
 * and `period`; Microsoft Authenticator handles only SHA1 / 6 digits / 30 s for third-party
 * accounts, and neither it nor Authy adds HOTP accounts. An app that ignores a parameter shows
 * codes the server rejects, so these warnings are worth showing before the QR code.
 *
 * Algorithms, and who computes them:
 * - SHA1: every app (RFC 4226's and the Key Uri Format's default).
 * - SHA256, SHA512 (RFC 6238): Aegis, FreeOTP and the otpauth library among others, and Google
 *   Authenticator transfers; older Google Authenticator versions and Microsoft Authenticator
 *   ignore the parameter and compute SHA1 (`non_default_algorithm`).
 * - SHA224, SHA384, SHA3-224/256/384/512: the otpauth library and apps built on it; not Google
 *   Authenticator, Microsoft Authenticator or Aegis, and neither a Google Authenticator transfer
 *   nor an Aegis file can carry them (those exports refuse such accounts) (`rare_algorithm`).
 */
import { MIN_SECRET_BYTES } from '@mfakit/core';
import { isRfc6238Algorithm } from '@mfakit/core/validate';
import { normalizeAccount, type OtpAccountInput } from './account.js';

/** What a compatibility warning is about. */
export type CompatibilityWarningCode =
  | 'non_default_algorithm'
  | 'rare_algorithm'
  | 'non_default_digits'
  | 'non_default_period'
  | 'hotp_not_supported'
  | 'steam_token'
  | 'missing_issuer'
  | 'issuer_label_mismatch'
  | 'short_secret';

/** Something about an account that some authenticator apps would get wrong. */
export interface CompatibilityWarning {
  code: CompatibilityWarningCode;
  /** The account field the warning is about. */
  field: 'algorithm' | 'digits' | 'period' | 'type' | 'issuer' | 'secret';
  /** One sentence for the user. */
  message: string;
  /** Apps known to be affected. */
  apps: readonly string[];
}

const GOOGLE = 'Google Authenticator';
const MICROSOFT = 'Microsoft Authenticator';
const AUTHY = 'Authy';
const AEGIS = 'Aegis';

/**
 * Structured warnings for an account, in a stable order; empty for SHA1 / 6 digits / 30 s TOTP
 * with an issuer and a secret of at least 128 bits, which every app handles.
 */
export function compatibilityWarnings(input: OtpAccountInput): CompatibilityWarning[] {
  const account = normalizeAccount(input);
  const warnings: CompatibilityWarning[] = [];
  if (account.type === 'steam') {
    warnings.push({
      code: 'steam_token',
      field: 'type',
      message:
        "A Steam Guard token shows 5-character codes only in apps that know Steam (Aegis, Steam's own app, mfakit); others show 6-digit codes that Steam rejects.",
      apps: [GOOGLE, MICROSOFT, AUTHY],
    });
  } else if (!isRfc6238Algorithm(account.algorithm)) {
    warnings.push({
      code: 'rare_algorithm',
      field: 'algorithm',
      message: `Few apps compute ${account.algorithm} codes (not Google Authenticator, Microsoft Authenticator or Aegis), and Google Authenticator transfers and Aegis files cannot carry it; use SHA1 for the widest support.`,
      apps: [GOOGLE, MICROSOFT, AEGIS],
    });
  } else if (account.algorithm !== 'SHA1') {
    warnings.push({
      code: 'non_default_algorithm',
      field: 'algorithm',
      message: `Some apps ignore the ${account.algorithm} algorithm and compute SHA1 codes, which will be rejected; use SHA1 for the widest support.`,
      apps: [GOOGLE, MICROSOFT],
    });
  }
  if (account.digits !== 6 && account.type !== 'steam') {
    warnings.push({
      code: 'non_default_digits',
      field: 'digits',
      message: `Some apps ignore ${account.digits}-digit codes and show 6 digits${account.digits === 7 ? '; 7 digits is the least supported length' : ''}; use 6 digits for the widest support.`,
      apps: [GOOGLE, MICROSOFT],
    });
  }
  if (account.type === 'totp' && account.period !== 30) {
    warnings.push({
      code: 'non_default_period',
      field: 'period',
      message: `Some apps ignore the ${account.period}-second period and change codes every 30 seconds; use 30 for the widest support.`,
      apps: [GOOGLE, MICROSOFT],
    });
  }
  if (account.type === 'hotp') {
    warnings.push({
      code: 'hotp_not_supported',
      field: 'type',
      message: 'Some apps cannot add counter-based (HOTP) accounts at all; time-based (TOTP) works everywhere.',
      apps: [MICROSOFT, AUTHY],
    });
  }
  if (input.labelIssuer !== undefined && account.issuer !== undefined && input.labelIssuer !== account.issuer) {
    warnings.push({
      code: 'issuer_label_mismatch',
      field: 'issuer',
      message: `The URI's label says "${input.labelIssuer}" but its issuer parameter says "${account.issuer}"; "${account.issuer}" is used, as Google Authenticator does, but some apps show the label's.`,
      apps: [MICROSOFT, AUTHY],
    });
  }
  if (account.issuer === undefined || account.issuer.trim() === '') {
    warnings.push({
      code: 'missing_issuer',
      field: 'issuer',
      message:
        'Without an issuer, apps show only the account name and users cannot tell which service it is for; set the issuer.',
      apps: [GOOGLE, MICROSOFT, AUTHY],
    });
  }
  if (account.secret.length < MIN_SECRET_BYTES) {
    warnings.push({
      code: 'short_secret',
      field: 'secret',
      message: `The secret is ${account.secret.length * 8} bits; RFC 4226 §4 requires at least 128 and recommends 160.`,
      apps: [],
    });
  }
  return warnings;
}
