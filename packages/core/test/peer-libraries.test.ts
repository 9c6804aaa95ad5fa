/**
 * Cross-check against the two most used JavaScript OTP libraries, otplib 13 and otpauth 9 (root
 * devDependencies): the same codes for random secrets, times, counters, digits and algorithms,
 * and the same verification outcome (accepted or not, and at which step).
 */
import { createHotp, createTotp, type HashAlgorithm, hotp, totp, verifyHotp, verifyTotp } from '@mfakit/core';
import fc from 'fast-check';
import { HOTP as OtpauthHotp, TOTP as OtpauthTotp, Secret } from 'otpauth';
import { generateSync, verifySync } from 'otplib';
import { describe, expect, test } from 'vitest';
import { algorithm, secretBytes, timeMs, totpDigits } from './support/reference.js';

const otplibAlgorithm = (alg: HashAlgorithm) => alg.toLowerCase() as 'sha1' | 'sha256' | 'sha512';
const otpauthSecret = (bytes: Uint8Array) => new Secret({ buffer: bytes.slice().buffer });
const period = fc.constantFrom(15, 30, 60, 90);
const safeCounter = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.maxSafeNat());

describe('same codes as otplib and otpauth', () => {
  test('TOTP at random times (with T0 for otplib, which supports it)', () => {
    fc.assert(
      fc.property(
        secretBytes(),
        timeMs,
        totpDigits,
        algorithm,
        period,
        fc.integer({ min: 0, max: 1_000_000 }),
        (secret, at, digits, alg, step, t0) => {
          const ours = totp(secret, { at, digits, algorithm: alg, period: step });
          const otpauthCode = new OtpauthTotp({
            secret: otpauthSecret(secret),
            algorithm: alg,
            digits,
            period: step,
          }).generate({
            timestamp: at,
          });
          expect(ours).toBe(otpauthCode);
          const epoch = Math.floor(at / 1000);
          fc.pre(epoch >= t0);
          const withT0 = createTotp(secret, { digits, algorithm: alg, period: step, t0 }).generate(at);
          const otplibCode = generateSync({ secret, epoch, t0, period: step, digits, algorithm: otplibAlgorithm(alg) });
          expect(withT0).toBe(otplibCode);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('HOTP at random counters, given as numbers and as bigints', () => {
    fc.assert(
      fc.property(secretBytes(), safeCounter, totpDigits, algorithm, (secret, counter, digits, alg) => {
        const expected = generateSync({ strategy: 'hotp', secret, counter, digits, algorithm: otplibAlgorithm(alg) });
        expect(hotp(secret, counter, { digits, algorithm: alg })).toBe(expected);
        expect(createHotp(secret, { digits, algorithm: alg }).generate(BigInt(counter))).toBe(expected);
        expect(OtpauthHotp.generate({ secret: otpauthSecret(secret), algorithm: alg, digits, counter })).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

/** A token to verify: the code of a step near the current one, or random digits. */
const tokenChoice = fc.oneof(
  fc.record({ offset: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ digitsSeed: fc.integer({ min: 0, max: 99_999_999 }) }),
);

describe('same verification outcome', () => {
  test('TOTP with a window and a replay guard: accepted exactly when otplib accepts, at the same step', () => {
    fc.assert(
      fc.property(
        secretBytes(),
        timeMs.filter((t) => t > 3_600_000),
        totpDigits,
        algorithm,
        period,
        fc.integer({ min: 0, max: 3 }),
        tokenChoice,
        fc.option(fc.integer({ min: -6, max: 3 }), { nil: undefined }),
        (secret, at, digits, alg, step, window, choice, afterOffset) => {
          const key = createTotp(secret, { digits, algorithm: alg, period: step });
          const current = key.step(at);
          const token =
            'offset' in choice
              ? key.generateAtStep(current + choice.offset)
              : String(choice.digitsSeed % 10 ** digits).padStart(digits, '0');
          const afterStep = afterOffset === undefined ? undefined : current + Math.min(afterOffset, window);
          const options = { at, window, ...(afterStep === undefined ? {} : { afterStep }) };

          const ours = key.verify(token, options);
          expect(verifyTotp(secret, token, { digits, algorithm: alg, period: step, ...options })).toEqual(ours);
          const theirs = verifySync({
            secret,
            token,
            epoch: Math.floor(at / 1000),
            period: step,
            digits,
            algorithm: otplibAlgorithm(alg),
            epochTolerance: window * step,
            ...(afterStep === undefined ? {} : { afterTimeStep: afterStep }),
          });
          expect(ours.ok).toBe(theirs.valid);
          if (ours.ok) expect(theirs).toMatchObject({ timeStep: ours.step, delta: ours.delta });
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('TOTP without a replay guard: accepted exactly when otpauth accepts, with the same delta', () => {
    fc.assert(
      fc.property(
        secretBytes(),
        timeMs.filter((t) => t > 3_600_000),
        totpDigits,
        algorithm,
        period,
        fc.integer({ min: 0, max: 3 }),
        tokenChoice,
        (secret, at, digits, alg, step, window, choice) => {
          const key = createTotp(secret, { digits, algorithm: alg, period: step });
          const current = key.step(at);
          const token =
            'offset' in choice
              ? key.generateAtStep(current + choice.offset)
              : String(choice.digitsSeed % 10 ** digits).padStart(digits, '0');
          const ours = key.verify(token, { at, window });
          const theirs = new OtpauthTotp({
            secret: otpauthSecret(secret),
            algorithm: alg,
            digits,
            period: step,
          }).validate({ token, timestamp: at, window });
          expect(ours.ok).toBe(theirs !== null);
          // otpauth searches 0, -1, +1, -2, …; with one match in the window both report the same step.
          const matches = [];
          for (let k = -window; k <= window; k++) if (key.generateAtStep(current + k) === token) matches.push(k);
          if (ours.ok && matches.length === 1) expect(ours.delta).toBe(theirs);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('HOTP look-ahead: accepted exactly when otplib accepts, with the same delta', () => {
    fc.assert(
      fc.property(
        secretBytes(),
        fc.integer({ min: 3, max: 2 ** 40 }),
        totpDigits,
        algorithm,
        fc.integer({ min: 0, max: 10 }),
        fc.oneof(
          fc.integer({ min: -3, max: 13 }).map((offset) => ({ offset })),
          fc.nat().map((seed) => ({ seed })),
        ),
        (secret, counter, digits, alg, window, choice) => {
          const token =
            'offset' in choice
              ? hotp(secret, counter + choice.offset, { digits, algorithm: alg })
              : String(choice.seed % 10 ** digits).padStart(digits, '0');
          const ours = verifyHotp(secret, token, { counter, window, digits, algorithm: alg });
          const theirs = verifySync({
            strategy: 'hotp',
            secret,
            token,
            counter,
            counterTolerance: window,
            digits,
            algorithm: otplibAlgorithm(alg),
          });
          expect(ours.ok).toBe(theirs.valid);
          if (ours.ok && theirs.valid) {
            expect(ours.delta).toBe(theirs.delta);
            expect(ours.counter).toBe(counter + theirs.delta);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
