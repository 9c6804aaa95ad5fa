/**
 * Secret generation (crypto.getRandomValues, 20 bytes by default, at least 16) and the weak-secret
 * rule: every function that takes a secret refuses one under 16 bytes with MfaError 'weak_secret'
 * unless the caller passes allowShortSecret: true.
 */
import {
  base32Decode,
  createHotp,
  createTotp,
  generateSecret,
  hotp,
  isMfaError,
  MfaError,
  totp,
  verifyConsecutive,
  verifyHotp,
  verifyTotp,
} from '@mfakit/core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { referenceHotp, toHex } from './support/reference.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('generateSecret', () => {
  test('20 bytes by default, or the requested length from 16 to 1024', () => {
    const secret = generateSecret();
    expect(secret).toBeInstanceOf(Uint8Array);
    expect(secret).toHaveLength(20);
    for (const bytes of [16, 32, 64, 1024]) expect(generateSecret(bytes)).toHaveLength(bytes);
  });

  test('lengths below 16 or above 1024 are RangeErrors; non-integers are TypeErrors', () => {
    for (const bytes of [15, 10, 1, 0, -1, 1025]) expect(() => generateSecret(bytes)).toThrow(RangeError);
    for (const bytes of [16.5, Number.NaN, Number.POSITIVE_INFINITY, '20', 20n, null]) {
      expect(() => generateSecret(bytes as unknown as number)).toThrow(TypeError);
    }
  });

  test('comes from crypto.getRandomValues', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const secret = generateSecret(32);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.results[0]?.value).toBe(secret);
  });

  test('randomness sanity: distinct secrets, balanced bits, every byte value', () => {
    const secrets = Array.from({ length: 2000 }, () => generateSecret());
    expect(new Set(secrets.map(toHex)).size).toBe(secrets.length);
    let ones = 0;
    const seen = new Set<number>();
    for (const secret of secrets) {
      for (const byte of secret) {
        seen.add(byte);
        for (let b = byte; b !== 0; b >>= 1) ones += b & 1;
      }
    }
    const bits = secrets.length * 20 * 8; // 320 000 bits: mean 160 000, standard deviation ≈ 283
    expect(Math.abs(ones - bits / 2)).toBeLessThan(7 * Math.sqrt(bits / 4));
    expect(seen.size).toBe(256);
  });
});

describe('weak secrets', () => {
  const AT = 1_700_000_000_000;
  /** Every public way to use a secret, with otherwise valid arguments. */
  const USES: [string, (secret: Uint8Array, extra: { allowShortSecret?: boolean }) => unknown][] = [
    ['hotp', (s, o) => hotp(s, 0, o)],
    ['totp', (s, o) => totp(s, { at: AT, ...o })],
    ['createHotp', (s, o) => createHotp(s, o).generate(0)],
    ['createTotp', (s, o) => createTotp(s, o).generate(AT)],
    ['verifyHotp', (s, o) => verifyHotp(s, '000000', { counter: 0, ...o })],
    ['verifyTotp', (s, o) => verifyTotp(s, '000000', { at: AT, ...o })],
    ['verifyConsecutive', (s, o) => verifyConsecutive(s, '000000', '000000', { at: AT, ...o })],
  ];

  function thrown(run: () => unknown): unknown {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  }

  test.each(USES)('%s refuses 1, 10 and 15 bytes with MfaError weak_secret', (_name, use) => {
    for (const length of [1, 10, 15]) {
      const error = thrown(() => use(new Uint8Array(length).fill(1), {}));
      expect(error).toBeInstanceOf(MfaError);
      expect(isMfaError(error, 'weak_secret')).toBe(true);
      // A flag that is not exactly `true` does not unlock short secrets.
      const notTrue = thrown(() =>
        use(new Uint8Array(length).fill(1), { allowShortSecret: 'yes' as unknown as boolean }),
      );
      expect(isMfaError(notTrue, 'weak_secret')).toBe(true);
    }
  });

  test.each(USES)('%s accepts 16 bytes, and shorter with allowShortSecret: true', (_name, use) => {
    expect(() => use(new Uint8Array(16).fill(1), {})).not.toThrow();
    expect(() => use(new Uint8Array(10).fill(1), { allowShortSecret: true })).not.toThrow();
  });

  test.each(USES)('%s refuses an empty secret even with allowShortSecret (RangeError)', (_name, use) => {
    expect(() => use(new Uint8Array(0), { allowShortSecret: true })).toThrow(RangeError);
  });

  test.each(USES)('%s takes bytes only: base32 text, arrays and ArrayBuffers are TypeErrors', (_name, use) => {
    for (const secret of ['JBSWY3DPEHPK3PXPJBSWY3DP', Array.from({ length: 20 }, () => 1), new ArrayBuffer(20), null]) {
      expect(() => use(secret as unknown as Uint8Array, {})).toThrow(TypeError);
    }
  });

  test('a legacy 10-byte secret with allowShortSecret gives standard codes', () => {
    // The 10-byte secret of Google Authenticator's documentation example.
    const legacy = base32Decode('JBSWY3DPEHPK3PXP');
    expect(legacy).toHaveLength(10);
    expect(hotp(legacy, 42, { allowShortSecret: true })).toBe(referenceHotp(legacy, 42n, 'SHA1', 6));
    const code = referenceHotp(legacy, BigInt(Math.floor(AT / 30_000)), 'SHA1', 6);
    expect(totp(legacy, { at: AT, allowShortSecret: true })).toBe(code);
    expect(verifyTotp(legacy, code, { at: AT, allowShortSecret: true })).toMatchObject({ ok: true, delta: 0 });
  });
});
