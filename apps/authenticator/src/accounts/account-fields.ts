/**
 * @module
 * Validation of an account typed by hand (CLI flags or the TUI's add form), field by field, so the
 * form can show what is wrong while the user types. Limits follow @mfakit/otpauth (what apps
 * support): digits 6–8, period 1–86400 s, SHA1/SHA256/SHA512; a Steam Guard token (type steam)
 * has Steam's fixed parameters, which may be left out (SHA1, 5 characters, 30 s).
 */
import { base32Decode, type HashAlgorithm, isMfaError } from '@mfakit/core';
import type { NewAccount } from '@mfakit/vault';

export interface AccountFieldsInput {
  issuer?: string | undefined;
  account?: string | undefined;
  secret?: string | undefined;
  type?: string | undefined;
  algorithm?: string | undefined;
  digits?: string | undefined;
  period?: string | undefined;
  counter?: string | undefined;
}

export type FieldName = keyof AccountFieldsInput;

export type FieldErrors = Partial<Record<FieldName, string>>;

export type FieldsResult = { ok: true; account: NewAccount } | { ok: false; errors: FieldErrors };

const ALGORITHMS = new Set(['SHA1', 'SHA256', 'SHA512']);

/** Checks every field; messages never repeat the secret. */
export function validateAccountFields(input: AccountFieldsInput): FieldsResult {
  const errors: FieldErrors = {};
  const issuer = (input.issuer ?? '').trim();
  const name = (input.account ?? '').trim();
  if (issuer === '' && name === '') errors.account = 'give an issuer, an account name, or both';
  if (issuer.length > 1024) errors.issuer = 'at most 1024 characters';
  if (name.length > 1024) errors.account = 'at most 1024 characters';

  let secret: Uint8Array | undefined;
  const secretText = input.secret ?? '';
  if (secretText.trim() === '') {
    errors.secret = 'the secret is required (base32, as shown under the QR code)';
  } else {
    try {
      secret = base32Decode(secretText);
      if (secret.length === 0) errors.secret = 'the secret is empty';
    } catch (error) {
      if (!isMfaError(error)) throw error;
      // Core's message gives the position, never the character (it is part of a secret).
      const where = (error.message.split('. ')[0] ?? '')
        .replace(/\.$/, '')
        .replace(/^Invalid base32 character/, 'bad character')
        .replace(/^Base32 text/, 'it');
      errors.secret = `not base32: ${where} (A–Z, 2–7)`;
    }
  }

  const type = (input.type ?? 'totp').toLowerCase();
  if (type !== 'totp' && type !== 'hotp' && type !== 'steam') errors.type = "must be 'totp', 'hotp' or 'steam'";
  const steam = type === 'steam';
  const algorithm = (input.algorithm ?? 'SHA1').toUpperCase().replace('-', '');
  if (!ALGORITHMS.has(algorithm)) errors.algorithm = 'must be SHA1, SHA256 or SHA512';
  else if (steam && algorithm !== 'SHA1') errors.algorithm = 'a Steam Guard token uses SHA1';
  const digits = wholeNumber(input.digits, steam ? 5 : 6);
  if (steam) {
    if (digits !== 5) errors.digits = 'Steam Guard codes have 5 characters: leave it empty or 5';
  } else if (digits === undefined || digits < 6 || digits > 8) errors.digits = 'must be 6, 7 or 8';
  const period = wholeNumber(input.period, 30);
  if (period === undefined || period < 1 || period > 86_400) errors.period = 'must be 1 to 86400 seconds';
  else if (steam && period !== 30) errors.period = 'Steam Guard codes change every 30 seconds';
  const counter = wholeNumber(input.counter, 0);
  if (counter === undefined || counter > Number.MAX_SAFE_INTEGER) errors.counter = 'must be a whole number ≥ 0';

  if (Object.keys(errors).length > 0 || secret === undefined) {
    secret?.fill(0);
    return { ok: false, errors };
  }
  return {
    ok: true,
    account: {
      type: type as 'totp' | 'hotp' | 'steam',
      issuer,
      name,
      secret,
      algorithm: algorithm as HashAlgorithm,
      digits: digits as number,
      period: period as number,
      counter: type === 'hotp' ? (counter as number) : 0,
    },
  };
}

function wholeNumber(text: string | undefined, fallback: number): number | undefined {
  if (text === undefined || text.trim() === '') return fallback;
  return /^\d{1,16}$/.test(text.trim()) ? Number(text.trim()) : undefined;
}
