// Readers of other authenticators' plain exports, on sample files written from each format's
// public description (see the @module comment of each reader): accounts with every parameter,
// Steam Guard entries imported as Steam accounts, MD5 and Yandex entries named as skipped, files that are not the format refused, no secret in any
// message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { base32Decode, isMfaError } from '@mfakit/core';
import {
  isAndOtpExport,
  isBitwardenExport,
  isFreeOtpPlusExport,
  isTwoFasExport,
  parseAndOtpExport,
  parseBitwardenExport,
  parseFreeOtpPlusExport,
  parseTwoFasExport,
} from '@mfakit/otpauth';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures/formats', name), 'utf8');
const A = base32Decode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
const B = base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
const C = base32Decode('MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U');
const D = base32Decode('KRUGS4ZANFZSAYJAONSWG4TFOQQGC3TE');
const steam = (secret: Uint8Array, issuer: string, account: string) => ({
  type: 'steam',
  secret,
  account,
  issuer,
  algorithm: 'SHA1',
  digits: 5,
  period: 30,
});
const SECRET_TEXTS = ['JBSWY3DP', 'GEZDGNBV', 'MFRGGZDF', 'KRUGS4ZA'];

function expectNoSecret(messages: string[]): void {
  for (const message of messages) for (const secret of SECRET_TEXTS) expect(message).not.toContain(secret);
}

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(isMfaError(error, 'invalid_export_file')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('2FAS', () => {
  it('reads TOTP, HOTP and Steam services', () => {
    const text = fixture('2fas-backup.2fas');
    expect(isTwoFasExport(JSON.parse(text))).toBe(true);
    const { accounts, skipped } = parseTwoFasExport(text);
    expect(accounts).toEqual([
      {
        type: 'totp',
        secret: A,
        account: 'alice@example.com',
        issuer: 'GitHub',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
      },
      { type: 'hotp', secret: B, account: 'bob', issuer: 'Bank', algorithm: 'SHA256', digits: 8, counter: 5 },
      steam(C, 'Steam', 'gaben'),
    ]);
    expect(skipped).toEqual([]);
  });

  it('names a Yandex entry as skipped, in the words of every other import', () => {
    const { accounts, skipped } = parseTwoFasExport(
      JSON.stringify({
        schemaVersion: 4,
        services: [{ name: 'Yandex', secret: 'JBSWY3DPEHPK3PXP', otp: { account: 'ivan', tokenType: 'YAOTP' } }],
      }),
    );
    expect(accounts).toEqual([]);
    expect(skipped).toEqual([expect.objectContaining({ index: 0, issuer: 'Yandex', reason: 'unsupported_type' })]);
    expectNoSecret(skipped.map((entry) => entry.message));
  });

  it('refuses a password-protected backup, saying how to export one it can read', () => {
    const message = refusal(() =>
      parseTwoFasExport(JSON.stringify({ servicesEncrypted: 'abc:def:ghi', schemaVersion: 4 })),
    );
    expect(message).toContain('without a password');
  });
});

describe('andOTP', () => {
  it('reads entries, including an old label "Issuer - account", and a Steam entry', () => {
    const text = fixture('andotp-accounts.json');
    expect(isAndOtpExport(JSON.parse(text))).toBe(true);
    const { accounts, skipped } = parseAndOtpExport(text);
    expect(accounts).toEqual([
      {
        type: 'totp',
        secret: A,
        account: 'alice@example.com',
        issuer: 'GitHub',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
      },
      { type: 'totp', secret: B, account: 'carol', issuer: 'Example', algorithm: 'SHA512', digits: 7, period: 60 },
      { type: 'hotp', secret: C, account: 'dave', issuer: 'Bank', algorithm: 'SHA1', digits: 6, counter: 12 },
      steam(D, 'Steam', 'gaben'),
    ]);
    expect(skipped).toEqual([]);
  });
});

describe('FreeOTP+', () => {
  it('reads signed-byte secrets and names the MD5 token as skipped', () => {
    const text = fixture('freeotp-plus-backup.json');
    expect(isFreeOtpPlusExport(JSON.parse(text))).toBe(true);
    const { accounts, skipped } = parseFreeOtpPlusExport(text);
    expect(accounts).toEqual([
      {
        type: 'totp',
        secret: A,
        account: 'alice@example.com',
        issuer: 'GitHub',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
      },
      { type: 'hotp', secret: B, account: 'erin', issuer: 'Bank', algorithm: 'SHA256', digits: 8, counter: 3 },
    ]);
    expect(skipped).toEqual([expect.objectContaining({ index: 2, issuer: 'Old', reason: 'unsupported_algorithm' })]);
  });

  it('skips a token whose secret is not bytes', () => {
    const { skipped } = parseFreeOtpPlusExport(
      JSON.stringify({ tokens: [{ label: 'x', secret: [1, 999], type: 'TOTP' }] }),
    );
    expect(skipped[0]?.reason).toBe('invalid_secret');
  });
});

describe('Bitwarden', () => {
  it('reads otpauth URIs, bare secrets and steam:// secrets, leaves out logins without TOTP', () => {
    const text = fixture('bitwarden-export.json');
    expect(isBitwardenExport(JSON.parse(text))).toBe(true);
    const { accounts, skipped } = parseBitwardenExport(text);
    expect(accounts).toEqual([
      {
        type: 'totp',
        secret: A,
        account: 'alice@example.com',
        issuer: 'GitHub',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
      },
      { type: 'totp', secret: B, account: 'frank', issuer: 'Example Forum', algorithm: 'SHA1', digits: 6, period: 30 },
      steam(C, 'Steam', 'gaben'),
    ]);
    expect(skipped).toEqual([]);
  });

  it('refuses an encrypted export', () => {
    expect(refusal(() => parseBitwardenExport(JSON.stringify({ encrypted: true, items: [] })))).toContain(
      'unencrypted',
    );
  });
});

describe('files that are not the format', () => {
  it.each([
    ['2FAS', parseTwoFasExport],
    ['andOTP', parseAndOtpExport],
    ['FreeOTP+', parseFreeOtpPlusExport],
    ['Bitwarden', parseBitwardenExport],
  ] as const)('%s: not JSON, or JSON of another shape, is refused without quoting it', (_name, parse) => {
    const secretish = 'JBSWY3DPEHPK3PXP not json';
    expect(refusal(() => parse(secretish))).not.toContain('JBSWY3DP');
    refusal(() => parse('{"something": "else"}'));
  });
});
