/** fast-check arbitraries for accounts. */
import type { HashAlgorithm } from '@mfakit/core';
import type { HotpAccount, SteamAccount, TotpAccount } from '@mfakit/otpauth';

/** The RFC types, which every peer library and app computes. */
type RfcAccount = TotpAccount | HotpAccount;

import fc from 'fast-check';

export const algorithm = fc.constantFrom<HashAlgorithm>('SHA1', 'SHA256', 'SHA512');

/** Text a user could type as issuer or account name: any Unicode, no ':' (the label separator). */
export function labelText(options: { maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        fc.constantFrom(' ', '@', '.', '&', '=', '?', '#', '%', '%41', '+', '/', 'ü', '日本', '😀'),
        fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 4 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2 }),
      ),
      { minLength: 1, maxLength: Math.ceil((options.maxLength ?? 24) / 3) },
    )
    .map((parts) => parts.join('').trim())
    .filter((text) => text !== '' && !text.includes(':'));
}

const extraParameters = fc.dictionary(
  fc
    .stringMatching(/^[a-z][a-z0-9_]{0,9}$/)
    .filter((key) => !['secret', 'issuer', 'algorithm', 'digits', 'period', 'counter'].includes(key)),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  { maxKeys: 3 },
);

export interface AccountArbitraryOptions {
  /** Include extra parameters (not every peer library keeps them). */
  extras?: boolean;
  /** Restrict to what the Google Authenticator transfer format carries. */
  transferable?: boolean;
  maxNameLength?: number;
  /** Shortest secret in bytes (default 1; peers refuse under 16). */
  minSecretLength?: number;
  /** Longest TOTP period (default one day, core's limit; otplib stops at an hour). */
  maxPeriod?: number;
}

/** Fully specified accounts, as parseOtpauthUri returns them. */
export function account(options: AccountArbitraryOptions = {}): fc.Arbitrary<RfcAccount> {
  const base = fc.record(
    {
      secret: fc.uint8Array({ minLength: options.minSecretLength ?? 1, maxLength: 64 }),
      account: labelText({ maxLength: options.maxNameLength ?? 24 }),
      issuer: labelText({ maxLength: options.maxNameLength ?? 24 }),
      algorithm,
      digits: options.transferable === true ? fc.constantFrom(6, 8) : fc.integer({ min: 6, max: 8 }),
      extraParameters: options.extras === true ? extraParameters : fc.constant({}),
    },
    { requiredKeys: ['secret', 'account', 'algorithm', 'digits', 'extraParameters'] },
  );
  const totp = base.chain((fields) =>
    (options.transferable === true
      ? fc.constant(30)
      : fc.oneof(fc.constantFrom(30, 60), fc.integer({ min: 1, max: options.maxPeriod ?? 86_400 }))
    ).map((period): RfcAccount => normalize({ type: 'totp', ...fields, period })),
  );
  const hotp = base.chain((fields) =>
    fc
      .oneof(fc.integer({ min: 0, max: 1000 }), fc.maxSafeNat())
      .map((counter): RfcAccount => normalize({ type: 'hotp', ...fields, counter })),
  );
  return fc.oneof(totp, hotp);
}

/** Drops an empty extraParameters, as the parser leaves it out. */
function normalize<T extends RfcAccount | SteamAccount>(account: T): T {
  const { extraParameters, ...rest } = account;
  return extraParameters === undefined || Object.keys(extraParameters).length === 0 ? (rest as T) : account;
}

/** Fully specified Steam Guard accounts (Steam fixes SHA1, 5 characters, 30 s). */
export function steamAccount(options: { extras?: boolean } = {}): fc.Arbitrary<SteamAccount> {
  return fc
    .record(
      {
        secret: fc.uint8Array({ minLength: 1, maxLength: 64 }),
        account: labelText(),
        issuer: labelText(),
        extraParameters: options.extras === true ? extraParameters : fc.constant({}),
      },
      { requiredKeys: ['secret', 'account', 'extraParameters'] },
    )
    .map((fields) => normalize<SteamAccount>({ type: 'steam', ...fields, algorithm: 'SHA1', digits: 5, period: 30 }));
}
