/**
 * HOTP counters: the look-ahead window of verifyHotp (RFC 4226 §7.4), and counters beyond 2^53
 * given as bigints (RFC 4226 §5.2: C is 8 bytes), checked against node:crypto and otplib.
 */
import { createHotp, hotp, verifyHotp } from '@mfakit/core';
import fc from 'fast-check';
import { generateSync } from 'otplib';
import { describe, expect, test } from 'vitest';
import { algorithm, RFC_SECRET, referenceHotp, secretBytes, totpDigits } from './support/reference.js';

const TWO_53 = 2n ** 53n;
const TWO_64 = 2n ** 64n;

describe('look-ahead window', () => {
  test('accepts the expected counter and the next `window` counters, reporting counter and delta', () => {
    for (const k of [0, 1, 5, 10]) {
      expect(verifyHotp(RFC_SECRET, hotp(RFC_SECRET, 100 + k), { counter: 100 })).toEqual({
        ok: true,
        counter: 100 + k,
        delta: k,
      });
    }
    expect(createHotp(RFC_SECRET).verify(hotp(RFC_SECRET, 102), { counter: 100, window: 2 })).toEqual({
      ok: true,
      counter: 102,
      delta: 2,
    });
  });

  test('refuses earlier counters (already used) and counters past the window', () => {
    const mismatch = { ok: false, reason: 'mismatch' };
    expect(verifyHotp(RFC_SECRET, hotp(RFC_SECRET, 99), { counter: 100 })).toEqual(mismatch);
    expect(verifyHotp(RFC_SECRET, hotp(RFC_SECRET, 111), { counter: 100 })).toEqual(mismatch);
    expect(verifyHotp(RFC_SECRET, hotp(RFC_SECRET, 101), { counter: 100, window: 0 })).toEqual(mismatch);
  });

  test('windows above 10 need allowWideWindow', () => {
    expect(() => verifyHotp(RFC_SECRET, hotp(RFC_SECRET, 11), { counter: 0, window: 11 })).toThrow(RangeError);
    expect(() => createHotp(RFC_SECRET).verify(hotp(RFC_SECRET, 11), { counter: 0, window: 11 })).toThrow(RangeError);
    expect(
      verifyHotp(RFC_SECRET, hotp(RFC_SECRET, 11), { counter: 0, window: 11, allowWideWindow: true }),
    ).toMatchObject({
      ok: true,
      counter: 11,
    });
  });

  test('property: a code k counters ahead is accepted exactly when 0 ≤ k ≤ window', () => {
    fc.assert(
      fc.property(
        secretBytes(20, 20),
        fc.integer({ min: 20, max: 2 ** 52 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: -5, max: 15 }),
        algorithm,
        (secret, counter, window, k, alg) => {
          const code = hotp(secret, counter + k, { digits: 8, algorithm: alg });
          for (let j = 0; j <= window; j++) {
            fc.pre(j === k || hotp(secret, counter + j, { digits: 8, algorithm: alg }) !== code);
          }
          const result = verifyHotp(secret, code, { counter, window, digits: 8, algorithm: alg });
          if (k >= 0 && k <= window) expect(result).toEqual({ ok: true, counter: counter + k, delta: k });
          else expect(result).toEqual({ ok: false, reason: 'mismatch' });
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('verification takes bigint counters in the safe range and refuses larger ones', () => {
    const big = 2 ** 50;
    expect(verifyHotp(RFC_SECRET, hotp(RFC_SECRET, big + 1), { counter: BigInt(big) })).toEqual({
      ok: true,
      counter: big + 1,
      delta: 1,
    });
    expect(() => verifyHotp(RFC_SECRET, '000000', { counter: TWO_53 })).toThrow(RangeError);
    expect(() => verifyHotp(RFC_SECRET, '000000', { counter: Number.MAX_SAFE_INTEGER - 5, window: 10 })).toThrow(
      RangeError,
    );
  });
});

describe('counters as numbers and bigints', () => {
  test('bigint counters beyond 2^53 equal an independent node:crypto HOTP', () => {
    fc.assert(
      fc.property(
        secretBytes(),
        fc.oneof(fc.bigInt({ min: TWO_53, max: TWO_53 + 1000n }), fc.bigInt({ min: TWO_53, max: TWO_64 - 1n })),
        totpDigits,
        algorithm,
        (secret, counter, digits, alg) => {
          const expected = referenceHotp(secret, counter, alg, digits);
          expect(hotp(secret, counter, { digits, algorithm: alg })).toBe(expected);
          expect(createHotp(secret, { digits, algorithm: alg }).generate(counter)).toBe(expected);
        },
      ),
      { numRuns: 1000, examples: [[RFC_SECRET, TWO_64 - 1n, 6, 'SHA1']] },
    );
  });

  test('a safe counter gives the same code as a number, as a bigint, and in otplib', () => {
    fc.assert(
      fc.property(secretBytes(), fc.maxSafeNat(), algorithm, (secret, counter, alg) => {
        const expected = generateSync({
          strategy: 'hotp',
          secret,
          counter,
          algorithm: alg.toLowerCase() as 'sha1' | 'sha256' | 'sha512',
        });
        expect(hotp(secret, counter, { algorithm: alg })).toBe(expected);
        expect(hotp(secret, BigInt(counter), { algorithm: alg })).toBe(expected);
      }),
      {
        numRuns: 500,
        examples: [
          [RFC_SECRET, Number.MAX_SAFE_INTEGER, 'SHA1'],
          [RFC_SECRET, 2 ** 32, 'SHA1'],
        ],
      },
    );
  });

  test('2^53 and above as numbers, negative or fractional counters, and 2^64 are refused', () => {
    expect(hotp(RFC_SECRET, TWO_64 - 1n)).toBe(referenceHotp(RFC_SECRET, TWO_64 - 1n, 'SHA1', 6));
    expect(() => hotp(RFC_SECRET, TWO_64)).toThrow(RangeError);
    expect(() => hotp(RFC_SECRET, -1n)).toThrow(RangeError);
    expect(() => hotp(RFC_SECRET, -1)).toThrow(RangeError);
    expect(() => hotp(RFC_SECRET, 2 ** 53)).toThrow(RangeError);
    expect(() => hotp(RFC_SECRET, 1.5)).toThrow(TypeError);
    expect(() => hotp(RFC_SECRET, Number.NaN)).toThrow(TypeError);
    expect(() => hotp(RFC_SECRET, '5' as unknown as number)).toThrow(TypeError);
  });

  test('digits 6 to 10 are allowed for HOTP, others are RangeErrors', () => {
    for (const digits of [6, 7, 8, 9, 10]) {
      expect(hotp(RFC_SECRET, 0, { digits })).toMatch(new RegExp(`^[0-9]{${digits}}$`));
    }
    for (const digits of [5, 11, 0]) expect(() => hotp(RFC_SECRET, 0, { digits })).toThrow(RangeError);
  });
});
