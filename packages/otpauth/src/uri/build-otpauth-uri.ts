/**
 * @module
 * Builds `otpauth://` URIs in the Google Authenticator Key Uri Format:
 * `otpauth://TYPE/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER[&algorithm=…][&digits=…][&period=…|&counter=…]`.
 * A Steam Guard token is written as Aegis writes it: `otpauth://steam/ISSUER:ACCOUNT?secret=…`.
 */
import { base32Encode } from '@mfakit/core';
import { assertOptionsObject } from '@mfakit/core/validate';
import { normalizeAccount, type OtpAccount, type OtpAccountInput } from '../account.js';
import { otpauthError } from '../errors.js';
import { knownParameter } from './parameters.js';

/** Options of `buildOtpauthUri`. */
export interface BuildOtpauthUriOptions {
  /**
   * Also write `algorithm=SHA1`, `digits=6` and `period=30` when they are the defaults.
   * Off by default: shorter URIs give smaller QR codes, and every app assumes those defaults.
   */
  includeDefaults?: boolean;
}

/**
 * Returns the otpauth URI of an account. The label is `Issuer:account` with the `issuer`
 * parameter also set (as Google recommends), both percent-encoded with spaces as `%20`; the
 * secret is unpadded upper-case base32; `counter` is always written for HOTP.
 *
 * Leading and trailing whitespace of issuer and account are removed, as parsing does.
 * Throws `MfaError`: 'invalid_label' for a `:` in the issuer or account or an empty account,
 * 'invalid_digits' / 'invalid_period' / 'invalid_counter' / 'unsupported_algorithm' / 'invalid_secret'
 * for values the apps cannot use. Wrong argument types throw `TypeError`.
 */
export function buildOtpauthUri(input: OtpAccountInput, options: BuildOtpauthUriOptions = {}): string {
  assertOptionsObject(options, 'buildOtpauthUri options');
  const account = normalizeAccount(input);
  const issuer = account.issuer?.trim() ?? '';
  const name = account.account.trim();
  if (name === '')
    throw otpauthError('invalid_label', 'The account name is empty: give the user name or email it is for.');
  // Key Uri Format: the colon separates issuer from account name, so neither may contain one.
  if (issuer.includes(':')) {
    throw otpauthError('invalid_label', "The issuer contains ':', which the label uses as separator: remove it.");
  }
  if (name.includes(':')) {
    throw otpauthError('invalid_label', "The account name contains ':', which the label uses as separator: remove it.");
  }
  const label =
    issuer === '' ? encode(name, 'account name') : `${encode(issuer, 'issuer')}:${encode(name, 'account name')}`;
  const parameters: string[] = [`secret=${base32Encode(account.secret)}`];
  if (issuer !== '') parameters.push(`issuer=${encode(issuer, 'issuer')}`);
  parameters.push(...typeParameters(account, options.includeDefaults === true));
  for (const [key, value] of Object.entries(account.extraParameters ?? {})) {
    if (key === '' || knownParameter(account.type, key) !== undefined) {
      throw new RangeError(`extraParameters may not contain '${key}': it is a parameter of the URI itself`);
    }
    parameters.push(`${encode(key, 'extra parameter name')}=${encode(value, 'extra parameter')}`);
  }
  return `otpauth://${account.type}/${label}?${parameters.join('&')}`;
}

function typeParameters(account: OtpAccount, includeDefaults: boolean): string[] {
  // Steam fixes its parameters; Aegis writes digits=5, and so do the defaults here.
  if (account.type === 'steam') return includeDefaults ? ['algorithm=SHA1', 'digits=5', 'period=30'] : [];
  const out: string[] = [];
  if (includeDefaults || account.algorithm !== 'SHA1') out.push(`algorithm=${account.algorithm}`);
  if (includeDefaults || account.digits !== 6) out.push(`digits=${account.digits}`);
  if (account.type === 'hotp') out.push(`counter=${account.counter}`);
  else if (includeDefaults || account.period !== 30) out.push(`period=${account.period}`);
  return out;
}

/** RFC 3986 percent-encoding (space → %20, never `+`). */
function encode(text: string, what: string): string {
  try {
    return encodeURIComponent(text);
  } catch (cause) {
    // Only an unpaired UTF-16 surrogate makes encodeURIComponent throw.
    throw otpauthError('invalid_label', `The ${what} is not valid Unicode text (it has an unpaired surrogate).`, cause);
  }
}
