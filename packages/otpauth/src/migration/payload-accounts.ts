/**
 * @module
 * MigrationPayload.OtpParameters ⇄ OtpAccount. The enum numbers are those of the checked-in
 * schema (proto/google_auth_migration.proto); "unspecified" (0) means the app's default.
 */
import type { HashAlgorithm } from '@mfakit/core';
import { DEFAULT_PERIOD, type OtpAccount } from '../account.js';
import {
  MigrationPayload_Algorithm as Algorithm,
  MigrationPayload_DigitCount as DigitCount,
  type MigrationPayload_OtpParameters as OtpParameters,
  MigrationPayload_OtpType as OtpType,
} from '../gen/google_auth_migration_pb.js';
import { MAX_IMPORTED_SECRET_BYTES, type SkippedEntry } from '../skipped-entry.js';

const ALGORITHMS: ReadonlyMap<number, HashAlgorithm> = new Map([
  [Algorithm.UNSPECIFIED, 'SHA1'],
  [Algorithm.SHA1, 'SHA1'],
  [Algorithm.SHA256, 'SHA256'],
  [Algorithm.SHA512, 'SHA512'],
]);

const DIGITS: ReadonlyMap<number, number> = new Map([
  [DigitCount.UNSPECIFIED, 6],
  [DigitCount.SIX, 6],
  [DigitCount.EIGHT, 8],
]);

/** The algorithms a Google Authenticator transfer carries (its enum has no SHA-224/384 or SHA-3). */
export const ALGORITHM_NUMBERS: Readonly<Partial<Record<HashAlgorithm, Algorithm>>> = {
  SHA1: Algorithm.SHA1,
  SHA256: Algorithm.SHA256,
  SHA512: Algorithm.SHA512,
};

export const DIGIT_NUMBERS: Readonly<Record<number, DigitCount>> = { 6: DigitCount.SIX, 8: DigitCount.EIGHT };

/**
 * Google Authenticator often stores the whole label ("Issuer:account") as `name`. Split it when
 * the prefix is the issuer, or when there is no issuer at all.
 */
function splitName(name: string, issuer: string): { account: string; issuer: string } {
  const colon = name.indexOf(':');
  if (colon === -1) return { account: name, issuer };
  const prefix = name.slice(0, colon).trim();
  if (issuer === '' || prefix === issuer) return { account: name.slice(colon + 1).trim(), issuer: prefix || issuer };
  return { account: name, issuer };
}

export type ConvertedEntry = { account: OtpAccount } | { skipped: SkippedEntry };

export function accountFromParameters(parameters: OtpParameters, index: number): ConvertedEntry {
  const names = splitName(parameters.name, parameters.issuer);
  const who = { index, account: names.account, ...(names.issuer === '' ? {} : { issuer: names.issuer }) };
  const skip = (reason: SkippedEntry['reason'], message: string): ConvertedEntry => ({
    skipped: { ...who, reason, message: `This account ${message}` },
  });

  const algorithm = ALGORITHMS.get(parameters.algorithm);
  if (algorithm === undefined) {
    return skip(
      'unsupported_algorithm',
      parameters.algorithm === Algorithm.MD5
        ? 'uses MD5, which mfakit and RFC 6238 do not support; it was not imported.'
        : `uses algorithm number ${parameters.algorithm}, which this version does not know; it was not imported.`,
    );
  }
  const digits = DIGITS.get(parameters.digits);
  if (digits === undefined) {
    return skip(
      'unsupported_digits',
      `uses digit-count number ${parameters.digits}, which this version does not know; it was not imported.`,
    );
  }
  if (parameters.secret.length === 0) return skip('invalid_secret', 'has no secret; it was not imported.');
  if (parameters.secret.length > MAX_IMPORTED_SECRET_BYTES) {
    return skip(
      'invalid_secret',
      `has a secret longer than ${MAX_IMPORTED_SECRET_BYTES} bytes, which no authenticator uses; it was not imported.`,
    );
  }
  const base = {
    // A copy: the decoded message's bytes are views into the whole payload.
    secret: parameters.secret.slice(),
    account: names.account,
    ...(names.issuer === '' ? {} : { issuer: names.issuer }),
    algorithm,
    digits,
  };
  switch (parameters.type) {
    case OtpType.UNSPECIFIED:
    case OtpType.TOTP:
      // The transfer format has no period: Google Authenticator only does 30 seconds.
      return { account: { type: 'totp', ...base, period: DEFAULT_PERIOD } };
    case OtpType.HOTP: {
      const counter = parameters.counter;
      if (counter < 0n || counter > BigInt(Number.MAX_SAFE_INTEGER)) {
        return skip('invalid_counter', `has counter ${counter}, outside 0…2^53-1; it was not imported.`);
      }
      return { account: { type: 'hotp', ...base, counter: Number(counter) } };
    }
    default:
      return skip(
        'unsupported_type',
        `has otp type number ${parameters.type}, which this version does not know; it was not imported.`,
      );
  }
}
