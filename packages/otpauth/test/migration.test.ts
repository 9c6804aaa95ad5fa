/**
 * Google Authenticator "Transfer accounts" (otpauth-migration://offline?data=…). Fixtures are
 * built with a hand-written protobuf encoder (test/support/protobuf-writer.ts) and exports are
 * checked with a hand-written reader, so neither direction is checked against itself.
 */
import { readFileSync } from 'node:fs';
import { base32Decode, isMfaError } from '@mfakit/core';
import { buildMigrationUris, importMigrationUris, type OtpAccount, parseMigrationUri } from '@mfakit/otpauth';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MigrationPayload_OtpParametersSchema, MigrationPayloadSchema } from '../src/gen/google_auth_migration_pb.js';
import { account } from './support/arbitraries.js';
import { int32, payloadOf, readMessage, text } from './support/protobuf-reader.js';
import {
  base64,
  bytesField,
  migrationPayload,
  migrationUri,
  type TestOtpParameters,
  varint,
} from './support/protobuf-writer.js';

const SHA1 = 1;
const SHA256 = 2;
const SHA512 = 3;
const MD5 = 4;
const SIX = 1;
const EIGHT = 2;
const HOTP = 1;
const TOTP = 2;

const secretA = base32Decode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
const secretB = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

/** What a typical export holds: GA writes `name` as "Issuer:account" for accounts added by QR. */
const typicalEntries: TestOtpParameters[] = [
  { secret: secretA, name: 'ACME Co:alice@example.com', issuer: 'ACME Co', algorithm: SHA1, digits: SIX, type: TOTP },
  { secret: secretB, name: 'bob', issuer: 'Example', algorithm: SHA256, digits: EIGHT, type: HOTP, counter: 42 },
  { secret: secretA, name: 'Legacy:carol', algorithm: SHA512, digits: SIX, type: TOTP },
  { secret: secretB, name: 'dave ünïcödé 日本', issuer: 'Ωmega', algorithm: SHA1, digits: SIX, type: TOTP },
];

const typicalAccounts: OtpAccount[] = [
  {
    type: 'totp',
    secret: secretA,
    account: 'alice@example.com',
    issuer: 'ACME Co',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  },
  { type: 'hotp', secret: secretB, account: 'bob', issuer: 'Example', algorithm: 'SHA256', digits: 8, counter: 42 },
  { type: 'totp', secret: secretA, account: 'carol', issuer: 'Legacy', algorithm: 'SHA512', digits: 6, period: 30 },
  {
    type: 'totp',
    secret: secretB,
    account: 'dave ünïcödé 日本',
    issuer: 'Ωmega',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  },
];

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('checked-in schema', () => {
  test('the generated code matches proto/google_auth_migration.proto field by field', () => {
    const proto = readFileSync(new URL('../proto/google_auth_migration.proto', import.meta.url), 'utf8');
    const declared = [...proto.matchAll(/^\s*(repeated\s+)?([\w.]+)\s+(\w+)\s*=\s*(\d+);/gm)].map((m) => ({
      name: m[3],
      number: Number(m[4]),
    }));
    const generated = [...MigrationPayload_OtpParametersSchema.fields, ...MigrationPayloadSchema.fields].map(
      (field) => ({
        name: field.name,
        number: field.number,
      }),
    );
    expect(generated).toEqual(declared);
    // The numbers the issue (and every known export) gives.
    expect(Object.fromEntries(declared.map((field) => [field.name, field.number]))).toEqual({
      secret: 1,
      name: 2,
      issuer: 3,
      algorithm: 4,
      digits: 5,
      type: 6,
      counter: 7,
      otp_parameters: 1,
      version: 2,
      batch_size: 3,
      batch_index: 4,
      batch_id: 5,
    });
  });
});

describe('parseMigrationUri', () => {
  const payload = migrationPayload({
    otp: typicalEntries,
    version: 1,
    batchSize: 1,
    batchIndex: 0,
    batchId: -1_320_898_453,
  });

  test('a typical export (percent-escaped, as Google Authenticator shows it)', () => {
    const uri = migrationUri(payload);
    expect(uri).toMatch(/%2B|%2F|%3D/);
    expect(parseMigrationUri(uri)).toEqual({
      accounts: typicalAccounts,
      skipped: [],
      version: 1,
      batchSize: 1,
      batchIndex: 0,
      batchId: -1_320_898_453,
    });
  });

  const raw = base64(payload);
  test.each([
    ['not escaped at all', `otpauth-migration://offline?data=${raw}`],
    ["'+' turned into spaces by a form decoder", `otpauth-migration://offline?data=${raw.replaceAll('+', ' ')}`],
    ["'+' turned into %20", `otpauth-migration://offline?data=${raw.replaceAll('+', '%20')}`],
    ['escaped twice', `otpauth-migration://offline?data=${encodeURIComponent(encodeURIComponent(raw))}`],
    ['wrapped over lines and indented', `  otpauth-migration://offline?data=${raw.slice(0, 30)}\n${raw.slice(30)}\n`],
    ['base64url without padding', `otpauth-migration://offline?data=${Buffer.from(payload).toString('base64url')}`],
    ['upper-case scheme, extra parameters', `OTPAUTH-MIGRATION://OFFLINE?foo=1&data=${encodeURIComponent(raw)}&bar`],
  ])('%s', (_name, uri) => {
    expect(raw).toContain('+');
    expect(parseMigrationUri(uri).accounts).toEqual(typicalAccounts);
  });

  test('MD5 and unknown entries are reported in skipped, not dropped; the rest still imports', () => {
    const entries: TestOtpParameters[] = [
      typicalEntries[0] as TestOtpParameters,
      { secret: secretA, name: 'md5 user', issuer: 'Old Bank', algorithm: MD5, digits: SIX, type: TOTP },
      { secret: secretA, name: 'x', issuer: 'Future', algorithm: 9, type: TOTP },
      { secret: secretA, name: 'y', digits: 3, type: TOTP },
      { secret: secretA, name: 'z', type: 7 },
      { secret: new Uint8Array(0), name: 'empty', type: TOTP },
      { secret: secretA, name: 'neg', type: HOTP, counter: -5 },
      typicalEntries[1] as TestOtpParameters,
    ];
    const batch = parseMigrationUri(migrationUri(migrationPayload({ otp: entries })));
    expect(batch.accounts).toEqual([typicalAccounts[0], typicalAccounts[1]]);
    expect(batch.skipped.map(({ index, account, issuer, reason }) => ({ index, account, issuer, reason }))).toEqual([
      { index: 1, account: 'md5 user', issuer: 'Old Bank', reason: 'unsupported_algorithm' },
      { index: 2, account: 'x', issuer: 'Future', reason: 'unsupported_algorithm' },
      { index: 3, account: 'y', issuer: undefined, reason: 'unsupported_digits' },
      { index: 4, account: 'z', issuer: undefined, reason: 'unsupported_type' },
      { index: 5, account: 'empty', issuer: undefined, reason: 'invalid_secret' },
      { index: 6, account: 'neg', issuer: undefined, reason: 'invalid_counter' },
    ]);
    expect(batch.skipped[0]?.message).toContain('MD5');
  });

  test('unspecified enums mean the defaults (SHA1, 6 digits, TOTP); unknown fields are ignored', () => {
    const entry = [
      ...bytesField(1, secretA),
      ...bytesField(2, [...new TextEncoder().encode('n')]),
      ...bytesField(15, [1, 2, 3]),
    ];
    const bytes = new Uint8Array([...bytesField(1, entry), ...bytesField(9, [9, 9])]);
    expect(parseMigrationUri(migrationUri(bytes))).toEqual({
      accounts: [{ type: 'totp', secret: secretA, account: 'n', algorithm: 'SHA1', digits: 6, period: 30 }],
      skipped: [],
      version: 0,
      batchSize: 1,
      batchIndex: 0,
      batchId: 0,
    });
  });

  test('a name whose prefix differs from the issuer is kept whole', () => {
    const bytes = migrationPayload({ otp: [{ secret: secretA, name: 'Other:dan', issuer: 'Real', type: TOTP }] });
    expect(parseMigrationUri(migrationUri(bytes)).accounts[0]).toMatchObject({ account: 'Other:dan', issuer: 'Real' });
  });

  test.each([
    ['https://example.com/?data=abc', 'invalid_uri', 'otpauth-migration://'],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP', 'invalid_uri', 'otpauth-migration://'],
    ['otpauth-migration://online?data=abc', 'invalid_uri', "'offline'"],
    ['otpauth-migration://offline', 'invalid_uri', 'no data parameter'],
    ['otpauth-migration://offline?data=a&data=b', 'invalid_uri', 'more than one'],
    ['otpauth-migration://offline?data=', 'invalid_migration_payload', 'empty'],
    ['otpauth-migration://offline?data=%E0%A4%A', 'invalid_migration_payload', 'percent-escape'],
    ['otpauth-migration://offline?data=%%%', 'invalid_migration_payload', 'not base64'],
    ['otpauth-migration://offline?data=ab!d', 'invalid_migration_payload', 'not base64'],
    ['otpauth-migration://offline?data=abcde', 'invalid_migration_payload', 'not base64'],
    [
      `otpauth-migration://offline?data=${encodeURIComponent(raw.slice(0, 40))}`,
      'invalid_migration_payload',
      'truncated or damaged',
    ],
  ])('%s → %s', (uri, code, hint) => {
    const error = catchError(() => parseMigrationUri(uri));
    expect(isMfaError(error, code)).toBe(true);
    expect((error as Error).message).toContain(hint);
  });

  test('a length field claiming gigabytes is a clean error, not an allocation', () => {
    const bytes = new Uint8Array([0x0a, ...varint(2 ** 31), 1, 2, 3]);
    expect(
      isMfaError(
        catchError(() => parseMigrationUri(migrationUri(bytes))),
        'invalid_migration_payload',
      ),
    ).toBe(true);
  });

  test('a name that is not UTF-8 is a clean error', () => {
    const entry = [...bytesField(1, secretA), ...bytesField(2, [0xc3, 0x28, 0xff])];
    const error = catchError(() => parseMigrationUri(migrationUri(new Uint8Array(bytesField(1, entry)))));
    expect(isMfaError(error, 'invalid_migration_payload')).toBe(true);
  });

  test('an impossible batch position is refused', () => {
    const bytes = migrationPayload({ otp: typicalEntries, batchSize: 2, batchIndex: 2 });
    expect(
      isMfaError(
        catchError(() => parseMigrationUri(migrationUri(bytes))),
        'invalid_migration_payload',
      ),
    ).toBe(true);
  });
});

describe('buildMigrationUris', () => {
  test('writes what Google Authenticator writes (read back with an independent decoder)', () => {
    const [uri, ...rest] = buildMigrationUris(typicalAccounts, { batchId: -5 });
    expect(rest).toEqual([]);
    expect(uri).toMatch(/^otpauth-migration:\/\/offline\?data=[A-Za-z0-9%]+$/);
    const payload = readMessage(payloadOf(uri as string));
    expect([
      int32(payload.get(2)?.[0]),
      int32(payload.get(3)?.[0]),
      int32(payload.get(4)?.[0]),
      int32(payload.get(5)?.[0]),
    ]).toEqual([1, 1, 0, -5]);
    const entries = (payload.get(1) ?? []).map((bytes) => readMessage(bytes as Uint8Array));
    expect(
      entries.map((entry) => ({
        secret: entry.get(1)?.[0],
        name: text(entry.get(2)?.[0]),
        issuer: text(entry.get(3)?.[0]),
        algorithm: int32(entry.get(4)?.[0]),
        digits: int32(entry.get(5)?.[0]),
        type: int32(entry.get(6)?.[0]),
        counter: int32(entry.get(7)?.[0]),
      })),
    ).toEqual([
      {
        secret: secretA,
        name: 'alice@example.com',
        issuer: 'ACME Co',
        algorithm: SHA1,
        digits: SIX,
        type: TOTP,
        counter: 0,
      },
      { secret: secretB, name: 'bob', issuer: 'Example', algorithm: SHA256, digits: EIGHT, type: HOTP, counter: 42 },
      { secret: secretA, name: 'carol', issuer: 'Legacy', algorithm: SHA512, digits: SIX, type: TOTP, counter: 0 },
      {
        secret: secretB,
        name: 'dave ünïcödé 日本',
        issuer: 'Ωmega',
        algorithm: SHA1,
        digits: SIX,
        type: TOTP,
        counter: 0,
      },
    ]);
  });

  test('splits into batches of at most 10 with batch size, index and one batch id', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ secret: secretA, account: `user${i}`, issuer: 'Bulk' }));
    const uris = buildMigrationUris(many, { batchId: 99 });
    expect(uris).toHaveLength(3);
    const headers = uris.map((uri) => {
      const payload = readMessage(payloadOf(uri));
      return {
        count: payload.get(1)?.length,
        size: int32(payload.get(3)?.[0]),
        index: int32(payload.get(4)?.[0]),
        id: int32(payload.get(5)?.[0]),
      };
    });
    expect(headers).toEqual([
      { count: 10, size: 3, index: 0, id: 99 },
      { count: 10, size: 3, index: 1, id: 99 },
      { count: 5, size: 3, index: 2, id: 99 },
    ]);
    expect(importMigrationUris(uris).accounts.map((a) => a.account)).toEqual(many.map((a) => a.account));
  });

  test('every URI stays within maxUriLength, and all accounts come back in order', () => {
    fc.assert(
      fc.property(
        fc.array(account({ transferable: true, maxNameLength: 60 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 400, max: 2331 }),
        fc.integer({ min: 1, max: 12 }),
        (accounts, maxUriLength, maxAccountsPerQr) => {
          const uris = buildMigrationUris(accounts, { maxUriLength, maxAccountsPerQr });
          for (const uri of uris) expect(uri.length).toBeLessThanOrEqual(maxUriLength);
          const batches = uris.map((uri) => parseMigrationUri(uri));
          for (const batch of batches) expect(batch.accounts.length).toBeLessThanOrEqual(maxAccountsPerQr);
          expect(new Set(batches.map((batch) => batch.batchId)).size).toBe(1);
          expect(importMigrationUris(uris).accounts).toEqual(accounts.map(({ extraParameters: _, ...rest }) => rest));
        },
      ),
      { numRuns: 150 },
    );
  });

  test.each([
    [{ period: 60 }, '60-second period'],
    [{ digits: 7 }, '7 digits'],
  ])('refuses accounts the format cannot carry (%o), naming their position', (fields, hint) => {
    const error = catchError(() =>
      buildMigrationUris([
        { secret: secretA, account: 'ok' },
        { secret: secretA, account: 'bad', ...fields },
      ]),
    );
    expect(isMfaError(error, 'migration_unsupported_account')).toBe(true);
    expect((error as Error).message).toContain('account #2');
    expect((error as Error).message).toContain(hint);
  });

  test('an account too large for a QR code on its own is qr_too_large', () => {
    const error = catchError(() => buildMigrationUris([{ secret: secretA, account: 'x'.repeat(3000) }]));
    expect(isMfaError(error, 'qr_too_large')).toBe(true);
  });

  test('bad options and empty input are caller bugs', () => {
    expect(() => buildMigrationUris([])).toThrow(RangeError);
    expect(() => buildMigrationUris([{ secret: secretA, account: 'a' }], { maxUriLength: 5000 })).toThrow(RangeError);
    expect(() => buildMigrationUris([{ secret: secretA, account: 'a' }], { batchId: 2 ** 31 })).toThrow(RangeError);
  });
});

describe('importMigrationUris', () => {
  const uris = buildMigrationUris(
    Array.from({ length: 21 }, (_, i) => ({ secret: secretA, account: `u${i}` })),
    { batchId: 5 },
  );

  test('accepts the codes in any order', () => {
    expect(importMigrationUris([uris[2], uris[0], uris[1]] as string[]).accounts).toHaveLength(21);
  });

  test('says which codes are missing', () => {
    const error = catchError(() => importMigrationUris([uris[0]] as string[]));
    expect(isMfaError(error, 'incomplete_migration')).toBe(true);
    expect((error as Error).message).toBe('QR codes 2, 3 of 3 are missing: scan them too.');
  });

  test('refuses a code given twice and codes of different exports', () => {
    expect(
      isMfaError(
        catchError(() => importMigrationUris([uris[0], uris[0], uris[1], uris[2]] as string[])),
        'incomplete_migration',
      ),
    ).toBe(true);
    const other = buildMigrationUris([{ secret: secretA, account: 'x' }], { batchId: 6 });
    expect(
      isMfaError(
        catchError(() => importMigrationUris([...uris, ...other])),
        'incomplete_migration',
      ),
    ).toBe(true);
  });

  test('numbers skipped entries across the whole export', () => {
    const first = migrationPayload({
      otp: [typicalEntries[0] as TestOtpParameters, typicalEntries[1] as TestOtpParameters],
      batchSize: 2,
      batchIndex: 0,
      batchId: 1,
    });
    const second = migrationPayload({
      otp: [{ secret: secretA, name: 'md5', algorithm: MD5, type: TOTP }],
      batchSize: 2,
      batchIndex: 1,
      batchId: 1,
    });
    const result = importMigrationUris([migrationUri(second), migrationUri(first)]);
    expect(result.accounts).toHaveLength(2);
    expect(result.skipped).toMatchObject([{ index: 2, account: 'md5', reason: 'unsupported_algorithm' }]);
  });
});
