/**
 * Interoperability with the two most used JavaScript OTP libraries (root devDependencies):
 * URIs from otpauth 9 and otplib 13 parse to the same accounts here, ours parse to the same
 * parameters there, and both sides then compute the same codes.
 */
import { base32Decode, base32Encode, hotp, totp } from '@mfakit/core';
import { buildOtpauthUri, type OtpAccount, parseOtpauthUri } from '@mfakit/otpauth';
import { parse as otplibParse } from '@otplib/uri';
import fc from 'fast-check';
import * as OTPAuth from 'otpauth';
import { generateSync, generateURI } from 'otplib';
import { describe, expect, test } from 'vitest';
import { account } from './support/arbitraries.js';

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);
const lower = (algorithm: string) => algorithm.toLowerCase() as 'sha1' | 'sha256' | 'sha512';
const digits = (value: number) => value as 6 | 7 | 8;
/** otplib bounds label lengths (512), refuses secrets under 128 bits and periods over an hour. */
const peerAccount = () => account({ maxNameLength: 30, minSecretLength: 16, maxPeriod: 3600 });

function code(account: OtpAccount): string {
  const options = { algorithm: account.algorithm, digits: account.digits, allowShortSecret: true };
  return account.type === 'hotp'
    ? hotp(account.secret, account.counter, options)
    : totp(account.secret, { ...options, period: account.period, at: NOW });
}

describe('otpauth (npm)', () => {
  test('its URIs parse to the same account here', () => {
    fc.assert(
      fc.property(peerAccount(), (expected) => {
        const config = {
          issuer: expected.issuer ?? '',
          label: expected.account,
          secret: OTPAuth.Secret.fromBase32(base32Encode(expected.secret)),
          algorithm: expected.algorithm,
          digits: expected.digits,
        };
        const theirs =
          expected.type === 'totp'
            ? new OTPAuth.TOTP({ ...config, period: expected.period })
            : new OTPAuth.HOTP({ ...config, counter: expected.counter });
        const parsed = parseOtpauthUri(theirs.toString());
        expect(parsed).toEqual(expected);
        const theirCode =
          theirs instanceof OTPAuth.TOTP
            ? theirs.generate({ timestamp: NOW })
            : theirs.generate({ counter: expected.type === 'hotp' ? expected.counter : 0 });
        expect(code(parsed)).toBe(theirCode);
      }),
      { numRuns: 300 },
    );
  });

  test('our URIs parse to the same parameters there', () => {
    fc.assert(
      fc.property(peerAccount(), (expected) => {
        const theirs = OTPAuth.URI.parse(buildOtpauthUri(expected));
        expect(theirs.issuer).toBe(expected.issuer ?? '');
        expect(theirs.label).toBe(expected.account);
        expect(theirs.secret.base32.replace(/=+$/, '')).toBe(base32Encode(expected.secret));
        expect(theirs.algorithm).toBe(expected.algorithm);
        expect(theirs.digits).toBe(expected.digits);
        if (expected.type === 'totp') {
          expect(theirs).toBeInstanceOf(OTPAuth.TOTP);
          expect((theirs as OTPAuth.TOTP).period).toBe(expected.period);
          expect((theirs as OTPAuth.TOTP).generate({ timestamp: NOW })).toBe(code(expected));
        } else {
          expect(theirs).toBeInstanceOf(OTPAuth.HOTP);
          expect((theirs as OTPAuth.HOTP).counter).toBe(expected.counter);
          expect((theirs as OTPAuth.HOTP).generate({ counter: expected.counter })).toBe(code(expected));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('otplib', () => {
  test('its URIs parse to the same account here', () => {
    fc.assert(
      fc.property(peerAccount(), (expected) => {
        const common = {
          issuer: expected.issuer ?? '',
          label: expected.account,
          secret: base32Encode(expected.secret),
          algorithm: lower(expected.algorithm),
          digits: digits(expected.digits),
        };
        const uri =
          expected.type === 'totp'
            ? generateURI({ ...common, period: expected.period })
            : generateURI({ ...common, strategy: 'hotp', counter: expected.counter });
        const parsed = parseOtpauthUri(uri);
        expect(parsed).toEqual(expected);
        const theirCode =
          expected.type === 'totp'
            ? generateSync({
                secret: expected.secret,
                epoch: Math.floor(NOW / 1000),
                period: expected.period,
                digits: digits(expected.digits),
                algorithm: lower(expected.algorithm),
              })
            : generateSync({
                strategy: 'hotp',
                secret: expected.secret,
                counter: expected.counter,
                digits: digits(expected.digits),
                algorithm: lower(expected.algorithm),
              });
        expect(code(parsed)).toBe(theirCode);
      }),
      { numRuns: 300 },
    );
  });

  test('our URIs parse to the same parameters there', () => {
    fc.assert(
      fc.property(peerAccount(), fc.boolean(), (expected, includeDefaults) => {
        const theirs = otplibParse(buildOtpauthUri(expected, { includeDefaults }));
        expect(theirs.type).toBe(expected.type);
        expect(theirs.label).toBe(
          expected.issuer === undefined ? expected.account : `${expected.issuer}:${expected.account}`,
        );
        expect(theirs.params.issuer).toBe(expected.issuer);
        expect(base32Decode(theirs.params.secret)).toEqual(expected.secret);
        expect(theirs.params.algorithm ?? 'sha1').toBe(lower(expected.algorithm));
        expect(theirs.params.digits ?? 6).toBe(expected.digits);
        if (expected.type === 'totp') expect(theirs.params.period ?? 30).toBe(expected.period);
        else expect(theirs.params.counter).toBe(expected.counter);
      }),
      { numRuns: 300 },
    );
  });
});

describe('fixed cross-library URIs', () => {
  test('the otplib README example parses here', () => {
    const uri = generateURI({ issuer: 'ACME Co', label: 'john@example.com', secret: 'JBSWY3DPEHPK3PXP' });
    expect(parseOtpauthUri(uri)).toEqual({
      type: 'totp',
      secret: base32Decode('JBSWY3DPEHPK3PXP'),
      account: 'john@example.com',
      issuer: 'ACME Co',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
  });

  test('otpauth writes the issuer parameter before the secret; we accept any order', () => {
    const uri = new OTPAuth.TOTP({
      issuer: 'A B',
      label: 'c d',
      secret: OTPAuth.Secret.fromBase32('JBSWY3DPEHPK3PXP'),
    }).toString();
    expect(uri.indexOf('issuer=')).toBeLessThan(uri.indexOf('secret='));
    expect(parseOtpauthUri(uri)).toMatchObject({ issuer: 'A B', account: 'c d' });
  });
});
