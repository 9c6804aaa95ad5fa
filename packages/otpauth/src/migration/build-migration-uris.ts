/**
 * @module
 * Export to Google Authenticator "Transfer accounts" QR codes: accounts → one or more
 * `otpauth-migration://offline?data=…` URIs, each small enough for one QR code, with
 * version / batch_size / batch_index / batch_id set as the app sets them.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { assertOptionsObject, integerOption } from '@mfakit/core/validate';
import { describePosition, normalizeAccount, type OtpAccount, type OtpAccountInput } from '../account.js';
import { otpauthError } from '../errors.js';
import {
  MigrationPayload_Algorithm,
  MigrationPayload_DigitCount,
  MigrationPayload_OtpParametersSchema,
  MigrationPayload_OtpType,
  MigrationPayloadSchema,
} from '../gen/google_auth_migration_pb.js';
import { MAX_QR_BYTES } from '../qr/capacity.js';
import { encodeMigrationData } from './migration-data.js';
import { ALGORITHM_NUMBERS, DIGIT_NUMBERS } from './payload-accounts.js';

/** How `buildMigrationUris` splits accounts into Google Authenticator transfer QR codes. */
export interface BuildMigrationUrisOptions {
  /** Accounts per QR code. Default 10, as Google Authenticator exports. */
  maxAccountsPerQr?: number;
  /**
   * Longest URI per QR code, in characters. Default 1200, a QR code version around 27 that a
   * phone still reads from a laptop screen; at most 2331, the capacity of one code at level M.
   */
  maxUriLength?: number;
  /** batch_id of the export; default random. Give one for reproducible output. */
  batchId?: number;
}

const SCHEME_PREFIX = 'otpauth-migration://offline?data=';

/**
 * Returns the migration URIs for `accounts`, in order. Accounts the transfer format cannot carry
 * (a period other than 30 s, 7 digits, a Steam Guard token) throw `MfaError` 'migration_unsupported_account' naming
 * their position: export those as otpauth URIs instead. An account too large for a QR code on
 * its own throws 'qr_too_large'.
 */
export function buildMigrationUris(
  accounts: readonly OtpAccountInput[],
  options: BuildMigrationUrisOptions = {},
): string[] {
  if (!Array.isArray(accounts)) throw new TypeError('buildMigrationUris expects an array of accounts');
  if (accounts.length === 0) throw new RangeError('buildMigrationUris needs at least one account');
  assertOptionsObject(options, 'buildMigrationUris options');
  const maxAccounts = integerOption(options.maxAccountsPerQr, 'maxAccountsPerQr', 10, 1, 1000);
  const maxLength = integerOption(options.maxUriLength, 'maxUriLength', 1200, 200, MAX_QR_BYTES);
  const batchId = integerOption(options.batchId, 'batchId', randomBatchId(), -2_147_483_648, 2_147_483_647);

  const normalized = accounts.map((input, index) => {
    const account = normalizeAccount(input, describePosition(index));
    checkTransferable(account, index);
    return account;
  });

  // Greedy packing with worst-case batch_size/batch_index (two-byte varints), then the real
  // encoding; base64 alignment and escaping can still move the length a little, so re-pack with
  // more slack in the rare case a final URI is over the limit.
  for (let slack = 0; ; slack += 16) {
    const batches = pack(normalized, maxAccounts, maxLength - slack, batchId);
    const uris = batches.map((batch, batchIndex) => encode(batch, batches.length, batchIndex, batchId));
    if (uris.every((uri) => uri.length <= maxLength)) return uris;
  }
}

const WORST_CASE_BATCH = 16_383;

function pack(
  accounts: readonly OtpAccount[],
  maxAccounts: number,
  maxLength: number,
  batchId: number,
): OtpAccount[][] {
  const fits = (batch: readonly OtpAccount[]) =>
    encode(batch, WORST_CASE_BATCH, WORST_CASE_BATCH, batchId).length <= maxLength;
  const batches: OtpAccount[][] = [];
  let current: OtpAccount[] = [];
  for (const [index, account] of accounts.entries()) {
    if (current.length < maxAccounts && fits([...current, account])) {
      current.push(account);
      continue;
    }
    if (current.length === 0 || !fits([account])) {
      throw otpauthError(
        'qr_too_large',
        `${describePosition(index)} alone does not fit in a QR code of ${maxLength} characters: shorten its name or issuer.`,
      );
    }
    batches.push(current);
    current = [account];
  }
  batches.push(current);
  return batches;
}

function checkTransferable(account: OtpAccount, index: number): void {
  const where = describePosition(index);
  if (account.type === 'steam') {
    throw otpauthError(
      'migration_unsupported_account',
      `${where} is a Steam Guard token; Google Authenticator transfers carry only TOTP and HOTP. Export it as an otpauth URI or to Aegis instead.`,
    );
  }
  if (account.type === 'totp' && account.period !== 30) {
    throw otpauthError(
      'migration_unsupported_account',
      `${where} uses a ${account.period}-second period; Google Authenticator transfers carry only 30 seconds. Export it as an otpauth URI instead.`,
    );
  }
  if (ALGORITHM_NUMBERS[account.algorithm] === undefined) {
    throw otpauthError(
      'migration_unsupported_account',
      `${where} uses ${account.algorithm}; Google Authenticator transfers carry only SHA1, SHA256 and SHA512. Export it as an otpauth URI instead.`,
    );
  }
  if (DIGIT_NUMBERS[account.digits] === undefined) {
    throw otpauthError(
      'migration_unsupported_account',
      `${where} uses ${account.digits} digits; Google Authenticator transfers carry only 6 or 8. Export it as an otpauth URI instead.`,
    );
  }
}

function encode(accounts: readonly OtpAccount[], batchSize: number, batchIndex: number, batchId: number): string {
  const payload = create(MigrationPayloadSchema, {
    version: 1,
    batchSize,
    batchIndex,
    batchId,
    otpParameters: accounts.map((account) =>
      create(MigrationPayload_OtpParametersSchema, {
        secret: account.secret,
        name: account.account,
        issuer: account.issuer ?? '',
        algorithm: ALGORITHM_NUMBERS[account.algorithm] ?? MigrationPayload_Algorithm.UNSPECIFIED,
        digits: DIGIT_NUMBERS[account.digits] ?? MigrationPayload_DigitCount.UNSPECIFIED,
        type: account.type === 'hotp' ? MigrationPayload_OtpType.HOTP : MigrationPayload_OtpType.TOTP,
        counter: account.type === 'hotp' ? BigInt(account.counter) : 0n,
      }),
    ),
  });
  return SCHEME_PREFIX + encodeMigrationData(toBinary(MigrationPayloadSchema, payload));
}

function randomBatchId(): number {
  return crypto.getRandomValues(new Int32Array(1))[0] as number;
}
