/**
 * SHA-224, SHA-384 and SHA-3 accounts: otpauth URIs carry them (`algorithm=SHA3-256`, as the
 * otpauth library writes), compatibility warnings say which apps compute them, and the formats
 * that cannot carry them (Google Authenticator transfers, Aegis files) refuse them by name.
 */
import { HASH_ALGORITHMS, isMfaError, totp } from '@mfakit/core';
import {
  buildAegisVault,
  buildMigrationUris,
  buildOtpauthUri,
  compatibilityWarnings,
  parseOtpauthUri,
} from '@mfakit/otpauth';
import { type TOTP, URI } from 'otpauth';
import { describe, expect, test } from 'vitest';

const secret = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 0xff);
const RARE = ['SHA224', 'SHA384', 'SHA3-224', 'SHA3-256', 'SHA3-384', 'SHA3-512'] as const;

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

test('the rare algorithms are exactly those after RFC 6238’s three', () => {
  expect(HASH_ALGORITHMS.slice(3)).toEqual(RARE);
});

describe.each(RARE)('%s', (algorithm) => {
  test('URI build → parse keeps it; the otpauth library reads the same account and codes', () => {
    const uri = buildOtpauthUri({ secret, issuer: 'ACME', account: 'alice', algorithm });
    expect(uri).toContain(`algorithm=${algorithm}`);
    const account = parseOtpauthUri(uri);
    expect(account.algorithm).toBe(algorithm);
    const theirs = URI.parse(uri) as TOTP;
    expect(theirs.algorithm).toBe(algorithm);
    const at = 1_700_000_000_000;
    expect(totp(account.secret, { at, algorithm })).toBe(theirs.generate({ timestamp: at }));
  });

  test('compatibility: a rare_algorithm warning naming the apps that do not compute it', () => {
    const warnings = compatibilityWarnings({ secret, issuer: 'ACME', account: 'alice', algorithm });
    expect(warnings.map((warning) => warning.code)).toEqual(['rare_algorithm']);
    expect(warnings[0]?.message).toContain(algorithm);
    expect(warnings[0]?.apps).toEqual(['Google Authenticator', 'Microsoft Authenticator', 'Aegis']);
  });

  test('Google Authenticator transfers and Aegis files refuse it by name', () => {
    const account = { secret, issuer: 'ACME', account: 'alice', algorithm };
    const migration = thrown(() => buildMigrationUris([account]));
    expect(isMfaError(migration, 'migration_unsupported_account')).toBe(true);
    expect((migration as Error).message).toContain(algorithm);
    const aegis = thrown(() => buildAegisVault([account]));
    expect(isMfaError(aegis, 'unsupported_algorithm')).toBe(true);
    expect((aegis as Error).message).toContain(algorithm);
  });
});

test('SHA256 and SHA512 keep the non_default_algorithm warning; SHA1 has none', () => {
  expect(compatibilityWarnings({ secret, issuer: 'A', account: 'a', algorithm: 'SHA256' })[0]?.code).toBe(
    'non_default_algorithm',
  );
  expect(compatibilityWarnings({ secret, issuer: 'A', account: 'a' })).toEqual([]);
});
