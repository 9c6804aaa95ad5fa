/**
 * RFC 4226 Appendix D and RFC 6238 Appendix B, kept as JSON data in ./vectors, run through every
 * public way of producing or checking a code.
 */
import { createHotp, createTotp, type HashAlgorithm, hotp, totp, totpStep, verifyHotp, verifyTotp } from '@mfakit/core';
import { describe, expect, test } from 'vitest';
import { prepareSha1Hmac, sha1HmacCounter, sha1HmacTruncated } from '../src/sha1-hmac.js';
import { asciiBytes, toHex } from './support/reference.js';
import rfc4226 from './vectors/rfc4226.json' with { type: 'json' };
import rfc6238 from './vectors/rfc6238.json' with { type: 'json' };

describe('RFC 4226 Appendix D', () => {
  const secret = asciiBytes(rfc4226.secretAscii);

  test('the data file is the RFC table (10 counters, the RFC secret)', () => {
    expect(rfc4226.cases.map((c) => c.counter)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(toHex(secret)).toBe(rfc4226.secretHex);
  });

  test.each(rfc4226.cases)(
    'counter $counter: HMAC, truncated value and code',
    ({ counter, hmacHex, truncated, hotp: code }) => {
      const state = prepareSha1Hmac(secret);
      expect(toHex(sha1HmacCounter(state, 0, counter))).toBe(hmacHex);
      expect(sha1HmacTruncated(state, 0, counter)).toBe(truncated);
      expect(hotp(secret, counter)).toBe(code);
      expect(hotp(secret, BigInt(counter))).toBe(code);
      // Snum mod 10^Digit for other lengths (RFC 4226 §5.3 step 3); 10 digits is the whole Snum.
      expect(hotp(secret, counter, { digits: 8 })).toBe(String(truncated % 1e8).padStart(8, '0'));
      expect(hotp(secret, counter, { digits: 10 })).toBe(String(truncated).padStart(10, '0'));
    },
  );

  test('a prepared key generates and verifies the whole table', () => {
    const key = createHotp(secret);
    for (const { counter, hotp: code } of rfc4226.cases) {
      expect(key.generate(counter)).toBe(code);
      expect(key.verify(code, { counter, window: 0 })).toEqual({ ok: true, counter, delta: 0 });
      expect(verifyHotp(secret, code, { counter: 0, window: 9 })).toEqual({ ok: true, counter, delta: counter });
    }
    expect(verifyHotp(secret, rfc4226.cases[0]?.hotp ?? '', { counter: 1 })).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('RFC 6238 Appendix B', () => {
  const seeds = rfc6238.seeds as Record<HashAlgorithm, string>;

  test('the data file has all 18 rows and seeds of 20, 32 and 64 bytes', () => {
    expect(rfc6238.cases).toHaveLength(18);
    expect([seeds.SHA1.length, seeds.SHA256.length, seeds.SHA512.length]).toEqual([20, 32, 64]);
  });

  test.each(rfc6238.cases)('$algorithm at $time s', ({ time, stepHex, algorithm, totp: code }) => {
    const alg = algorithm as HashAlgorithm;
    const secret = asciiBytes(seeds[alg]);
    const at = time * 1000;
    const options = { algorithm: alg, digits: rfc6238.digits, period: rfc6238.period, t0: rfc6238.t0 };
    expect(totpStep(at)).toBe(Number.parseInt(stepHex, 16));
    expect(totp(secret, { ...options, at })).toBe(code);
    expect(totp(secret, { ...options, at: new Date(at) })).toBe(code);
    // The code holds for the whole 30 s step: its first and last millisecond.
    const stepStart = Number.parseInt(stepHex, 16) * 30_000;
    expect(totp(secret, { ...options, at: stepStart })).toBe(code);
    expect(totp(secret, { ...options, at: stepStart + 29_999 })).toBe(code);

    const key = createTotp(secret, options);
    expect(key.step(at)).toBe(Number.parseInt(stepHex, 16));
    expect(key.generate(at)).toBe(code);
    expect(key.generateAtStep(Number.parseInt(stepHex, 16))).toBe(code);
    expect(key.verify(code, { at, window: 0 })).toEqual({ ok: true, step: Number.parseInt(stepHex, 16), delta: 0 });
    expect(verifyTotp(secret, code, { ...options, at })).toMatchObject({ ok: true, delta: 0 });
    // One step later the same code is the previous step's code (delta -1), two steps later it is gone.
    expect(key.verify(code, { at: stepStart + 30_000 })).toMatchObject({ ok: true, delta: -1 });
    expect(key.verify(code, { at: stepStart + 60_000 })).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('SHA256/SHA512 rows need the full 32/64-byte seeds: their 20-byte prefix gives other codes', () => {
    for (const { time, algorithm, totp: code } of rfc6238.cases.filter((c) => c.algorithm !== 'SHA1')) {
      const withSha1Seed = totp(asciiBytes(seeds.SHA1), {
        algorithm: algorithm as HashAlgorithm,
        digits: 8,
        at: time * 1000,
      });
      expect(withSha1Seed).not.toBe(code);
    }
  });
});
