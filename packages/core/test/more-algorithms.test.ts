/**
 * SHA-224, SHA-384 and SHA3-224/256/384/512: every code cross-checked against HMAC from
 * node:crypto (OpenSSL) through an RFC 4226 §5.3 reference written on top of it, on random keys
 * (including keys longer than the hash's block), counters, digits and times; and against the
 * otpauth library, which offers the same algorithms.
 */
import { createHotp, createTotp, HASH_ALGORITHMS, type HashAlgorithm, hotp, totp, verifyTotp } from '@mfakit/core';
import fc from 'fast-check';
import { HOTP, Secret, TOTP } from 'otpauth';
import { describe, expect, test } from 'vitest';
import { ALGORITHMS, referenceHotp } from './support/reference.js';

const MORE: HashAlgorithm[] = HASH_ALGORITHMS.filter((algorithm) => !ALGORITHMS.includes(algorithm));

test('the list has every algorithm people ask for, SHA1 first', () => {
  expect(HASH_ALGORITHMS[0]).toBe('SHA1');
  expect(MORE).toEqual(['SHA224', 'SHA384', 'SHA3-224', 'SHA3-256', 'SHA3-384', 'SHA3-512']);
});

describe.each(MORE)('%s', (algorithm) => {
  test('HOTP equals HMAC from node:crypto for random keys, 64-bit counters and 6–10 digits', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 200 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.integer({ min: 6, max: 10 }),
        (secret, counter, digits) => {
          expect(hotp(secret, counter, { algorithm, digits })).toBe(referenceHotp(secret, counter, algorithm, digits));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a prepared key gives the same codes as one-off calls, and verifies them', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 80 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (secret, at) => {
          const key = createTotp(secret, { algorithm, digits: 8 });
          const code = key.generate(at);
          expect(code).toBe(totp(secret, { at, algorithm, digits: 8 }));
          expect(code).toBe(referenceHotp(secret, BigInt(Math.floor(at / 30_000)), algorithm, 8));
          expect(verifyTotp(secret, code, { at, algorithm, digits: 8 })).toMatchObject({ ok: true, delta: 0 });
          key.destroy();
        },
      ),
      { numRuns: 100 },
    );
  });

  test('agrees with the otpauth library', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 64 }), fc.nat({ max: 1_000_000 }), (secret, counter) => {
        const theirs = new HOTP({ secret: new Secret({ buffer: secret.slice().buffer }), algorithm, digits: 6 });
        expect(createHotp(secret, { algorithm }).generate(counter)).toBe(theirs.generate({ counter }));
        const timeBased = new TOTP({ secret: new Secret({ buffer: secret.slice().buffer }), algorithm });
        expect(totp(secret, { at: counter * 30_000, algorithm })).toBe(
          timeBased.generate({ timestamp: counter * 30_000 }),
        );
      }),
      { numRuns: 100 },
    );
  });
});
