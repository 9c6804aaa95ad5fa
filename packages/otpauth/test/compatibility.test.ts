/** compatibilityWarnings: what apps will do differently, as structured data. */
import { base32Decode } from '@mfakit/core';
import { compatibilityWarnings, parseOtpauthUri } from '@mfakit/otpauth';
import { describe, expect, test } from 'vitest';

const secret = base32Decode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
const codes = (input: Parameters<typeof compatibilityWarnings>[0]) => compatibilityWarnings(input).map((w) => w.code);

describe('compatibilityWarnings', () => {
  test('none for SHA1 / 6 digits / 30 s TOTP with an issuer and a 160-bit secret', () => {
    expect(compatibilityWarnings({ secret, account: 'a', issuer: 'I' })).toEqual([]);
  });

  test('one warning per non-default parameter, in a stable order', () => {
    expect(codes({ secret, account: 'a', algorithm: 'SHA256', digits: 8, period: 60 })).toEqual([
      'non_default_algorithm',
      'non_default_digits',
      'non_default_period',
      'missing_issuer',
    ]);
    expect(codes({ type: 'hotp', secret, account: 'a', issuer: 'I', counter: 0 })).toEqual(['hotp_not_supported']);
    expect(codes({ secret: secret.slice(0, 10), account: 'a', issuer: 'I' })).toEqual(['short_secret']);
  });

  test('warnings name the field, the affected apps and say what to do', () => {
    const [warning] = compatibilityWarnings({ secret, account: 'a', issuer: 'I', algorithm: 'SHA512' });
    expect(warning).toEqual({
      code: 'non_default_algorithm',
      field: 'algorithm',
      message: expect.stringContaining('use SHA1'),
      apps: expect.arrayContaining(['Google Authenticator']),
    });
    const [short] = compatibilityWarnings({ secret: secret.slice(0, 10), account: 'a', issuer: 'I' });
    expect(short?.message).toContain('80 bits');
  });

  test('works on parsed accounts', () => {
    const account = parseOtpauthUri('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=7');
    expect(codes(account)).toEqual(['non_default_digits', 'missing_issuer', 'short_secret']);
  });
});
