/**
 * otpauth:// URIs: the Key Uri Format cases as data (valid and invalid), the builder's output
 * format, and what it refuses.
 */
import { base32Decode, base32Encode, isMfaError } from '@mfakit/core';
import { buildOtpauthUri, type OtpAccount, parseOtpauthUri } from '@mfakit/otpauth';
import { describe, expect, test } from 'vitest';
import vectors from './vectors/otpauth-uris.json' with { type: 'json' };

type VectorAccount = Omit<OtpAccount, 'secret'> & { secret: string };

function fromVector(account: VectorAccount): OtpAccount {
  return { ...account, secret: base32Decode(account.secret) } as OtpAccount;
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseOtpauthUri: valid URIs', () => {
  test.each(vectors.valid)('$name', ({ uri, account }) => {
    expect(parseOtpauthUri(uri)).toEqual(fromVector(account as VectorAccount));
  });

  test('returns a secret that is not shared with anything else', () => {
    const uri = 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP';
    const first = parseOtpauthUri(uri);
    first.secret.fill(0);
    expect(base32Encode(parseOtpauthUri(uri).secret)).toBe('JBSWY3DPEHPK3PXP');
  });
});

describe('parseOtpauthUri: invalid URIs', () => {
  test.each(vectors.invalid)('$uri → $code', ({ uri, code, hint }) => {
    const error = catchError(() => parseOtpauthUri(uri));
    expect(isMfaError(error, code)).toBe(true);
    expect((error as Error).message).toContain(hint);
    // Never the URI, never the secret.
    expect((error as Error).message).not.toContain('JBSWY3DP');
  });

  test('over-long input is refused before any parsing', () => {
    const uri = `otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&image=${'a'.repeat(20_000)}`;
    expect(
      isMfaError(
        catchError(() => parseOtpauthUri(uri)),
        'invalid_uri',
      ),
    ).toBe(true);
  });

  test('a non-string is a caller bug', () => {
    expect(() => parseOtpauthUri(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('buildOtpauthUri', () => {
  const secret = base32Decode('JBSWY3DPEHPK3PXP');

  test('writes the Google form: Issuer:account label, issuer parameter, unpadded base32, defaults omitted', () => {
    expect(buildOtpauthUri({ secret, account: 'alice@google.com', issuer: 'Example' })).toBe(
      'otpauth://totp/Example:alice%40google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example',
    );
  });

  test('percent-encodes spaces as %20 (never +) and unicode as UTF-8', () => {
    expect(buildOtpauthUri({ secret, account: 'jürgen 日本', issuer: 'Über Bank & Co' })).toBe(
      'otpauth://totp/%C3%9Cber%20Bank%20%26%20Co:j%C3%BCrgen%20%E6%97%A5%E6%9C%AC?secret=JBSWY3DPEHPK3PXP&issuer=%C3%9Cber%20Bank%20%26%20Co',
    );
  });

  test('writes non-default parameters; counter always for HOTP; includeDefaults writes them all', () => {
    expect(buildOtpauthUri({ secret, account: 'a', algorithm: 'SHA256', digits: 8, period: 60 })).toBe(
      'otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256&digits=8&period=60',
    );
    expect(buildOtpauthUri({ type: 'hotp', secret, account: 'a', counter: 0 })).toBe(
      'otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=0',
    );
    expect(buildOtpauthUri({ secret, account: 'a', issuer: 'I' }, { includeDefaults: true })).toBe(
      'otpauth://totp/I:a?secret=JBSWY3DPEHPK3PXP&issuer=I&algorithm=SHA1&digits=6&period=30',
    );
  });

  test('keeps extra parameters after the known ones', () => {
    expect(buildOtpauthUri({ secret, account: 'a', extraParameters: { image: 'https://x.test/i.png' } })).toBe(
      'otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&image=https%3A%2F%2Fx.test%2Fi.png',
    );
    expect(() => buildOtpauthUri({ secret, account: 'a', extraParameters: { Secret: 'x' } })).toThrow(RangeError);
  });

  test('trims issuer and account, as parsing does', () => {
    expect(buildOtpauthUri({ secret, account: '  bob ', issuer: ' ACME ' })).toBe(
      'otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP&issuer=ACME',
    );
  });

  test.each([
    [{ account: 'a:b' }, 'invalid_label', "account name contains ':'"],
    [{ account: 'a', issuer: 'I:J' }, 'invalid_label', "issuer contains ':'"],
    [{ account: '   ' }, 'invalid_label', 'account name is empty'],
    [{ account: 'a\uD800' }, 'invalid_label', 'unpaired surrogate'],
    [{ account: 'a', digits: 9 }, 'invalid_digits', '6, 7 or 8'],
    [{ account: 'a', period: 0 }, 'invalid_period', 'whole number of seconds'],
    [{ account: 'a', algorithm: 'MD5' }, 'unsupported_algorithm', 'must be one of SHA1, SHA256, SHA512'],
    [{ account: 'a', type: 'hotp', counter: -1 }, 'invalid_counter', 'whole number'],
    [{ account: 'a', secret: new Uint8Array(0) }, 'invalid_secret', 'empty'],
  ])('refuses %o with %s', (fields, code, hint) => {
    const error = catchError(() => buildOtpauthUri({ secret, ...fields } as never));
    expect(isMfaError(error, code)).toBe(true);
    expect((error as Error).message).toContain(hint);
  });

  test('wrong argument types are TypeErrors', () => {
    expect(() => buildOtpauthUri({ secret: 'JBSWY3DPEHPK3PXP' as never, account: 'a' })).toThrow(TypeError);
    expect(() => buildOtpauthUri({ secret, account: 1 as never })).toThrow(TypeError);
    expect(() => buildOtpauthUri({ type: 'hotp', secret, account: 'a' } as never)).toThrow(TypeError);
  });

  test('every valid vector re-builds to a URI that parses to the same account', () => {
    for (const { account } of vectors.valid) {
      const expected = fromVector(account as VectorAccount);
      expect(parseOtpauthUri(buildOtpauthUri(expected))).toEqual(expected);
    }
  });
});
