/**
 * Interoperability with the reference implementation: the real `oathtool` binary (OATH Toolkit,
 * Debian package `oathtool`). fast-check draws secrets, times, counters, digits, algorithms and
 * periods; oathtool gets the key as hex and the time as @unixseconds.
 */
import { spawnSync } from 'node:child_process';
import { createHotp, createTotp, type HashAlgorithm, hotp, totp, verifyHotp, verifyTotp } from '@mfakit/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { algorithm, referenceHotp, secretBytes, timeMs, toHex, totpDigits } from './support/reference.js';

const MISSING =
  'oathtool is not installed, so the interop tests cannot run. Run `bash scripts/test-env.sh` ' +
  '(it installs the Debian package `oathtool`), or `sudo apt-get install oathtool`, then run the tests again.';

interface OathtoolResult {
  status: number | null;
  lines: string[];
}

function oathtool(args: string[]): OathtoolResult {
  const result = spawnSync('oathtool', args, { encoding: 'utf8' });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? MISSING : `oathtool could not be run (${code})`, { cause: result.error });
  }
  return { status: result.status, lines: result.stdout.split('\n').filter((line) => line !== '') };
}

/** oathtool's arguments for a TOTP key; it takes the time in whole seconds. */
function totpArgs(alg: HashAlgorithm, digits: number, period: number, atMs: number): string[] {
  return [`--totp=${alg}`, '-d', String(digits), '-s', `${period}s`, '-N', `@${Math.floor(atMs / 1000)}`];
}

const period = fc.constantFrom(30, 60);
/** Counters spread over the whole 64-bit range, with weight on the 32- and 53-bit edges. */
const counter = fc.oneof(
  fc.bigInt({ min: 0n, max: 1000n }),
  fc.bigInt({ min: (1n << 32n) - 50n, max: (1n << 32n) + 50n }),
  fc.bigInt({ min: (1n << 53n) - 50n, max: (1n << 53n) + 50n }),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
);

describe('oathtool interop', () => {
  test('oathtool is installed', () => {
    const { status, lines } = oathtool(['--version']);
    expect(status).toBe(0);
    expect(lines[0]).toMatch(/OATH Toolkit/);
  });

  test('TOTP: same codes for 500 random secrets, times, digits, algorithms and periods', () => {
    fc.assert(
      fc.property(secretBytes(16, 64), timeMs, totpDigits, algorithm, period, (secret, at, digits, alg, step) => {
        // -w 2: oathtool prints the codes of the current step and the two after it.
        const { status, lines } = oathtool([...totpArgs(alg, digits, step, at), '-w', '2', toHex(secret)]);
        expect(status).toBe(0);
        const options = { algorithm: alg, digits, period: step };
        expect(totp(secret, { ...options, at })).toBe(lines[0]);
        const key = createTotp(secret, options);
        const current = key.step(at);
        expect([0, 1, 2].map((k) => key.generateAtStep(current + k))).toEqual(lines);
      }),
      { numRuns: 500 },
    );
  });

  test('HOTP: same codes for 200 random secrets, 64-bit counters and digits', () => {
    fc.assert(
      fc.property(secretBytes(16, 64), counter, totpDigits, (secret, c, digits) => {
        const { status, lines } = oathtool(['-c', c.toString(), '-d', String(digits), toHex(secret)]);
        expect(status).toBe(0);
        expect(hotp(secret, c, { digits })).toBe(lines[0]);
        if (c <= BigInt(Number.MAX_SAFE_INTEGER))
          expect(createHotp(secret, { digits }).generate(Number(c))).toBe(lines[0]);
      }),
      { numRuns: 200 },
    );
  });

  test('TOTP verification agrees with oathtool’s validation (±window)', () => {
    fc.assert(
      fc.property(
        secretBytes(16, 64),
        timeMs.filter((t) => t >= 10 * 60_000),
        totpDigits,
        algorithm,
        period,
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: -5, max: 5 }),
        (secret, at, digits, alg, step, window, offset) => {
          const current = Math.floor(Math.floor(at / 1000) / step);
          const code = referenceHotp(secret, BigInt(current + offset), alg, digits);
          // The same code at two steps of the window would make "which delta" ambiguous.
          const windowCodes = [];
          for (let k = -window; k <= window; k++)
            windowCodes.push(referenceHotp(secret, BigInt(current + k), alg, digits));
          fc.pre(windowCodes.filter((c) => c === code).length <= 1);

          const theirs = oathtool([...totpArgs(alg, digits, step, at), '-w', String(window), toHex(secret), code]);
          const ours = verifyTotp(secret, code, { algorithm: alg, digits, period: step, at, window });
          expect(ours.ok).toBe(theirs.status === 0);
          expect(ours.ok).toBe(Math.abs(offset) <= window);
          if (ours.ok) {
            expect(ours.delta).toBe(offset);
            expect(String(Math.abs(ours.delta))).toBe(theirs.lines[0]);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  test('HOTP look-ahead verification agrees with oathtool’s validation', () => {
    fc.assert(
      fc.property(
        secretBytes(16, 64),
        fc.integer({ min: 5, max: 2 ** 40 }),
        totpDigits,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: -3, max: 13 }),
        (secret, start, digits, window, offset) => {
          const code = referenceHotp(secret, BigInt(start + offset), 'SHA1', digits);
          const windowCodes = [];
          for (let k = 0; k <= window; k++) windowCodes.push(referenceHotp(secret, BigInt(start + k), 'SHA1', digits));
          fc.pre(windowCodes.filter((c) => c === code).length <= (offset >= 0 && offset <= window ? 1 : 0));

          const theirs = oathtool([
            '-c',
            String(start),
            '-d',
            String(digits),
            '-w',
            String(window),
            toHex(secret),
            code,
          ]);
          const ours = verifyHotp(secret, code, { counter: start, digits, window });
          expect(ours.ok).toBe(theirs.status === 0);
          expect(ours.ok).toBe(offset >= 0 && offset <= window);
          if (ours.ok) {
            expect(ours).toEqual({ ok: true, counter: start + offset, delta: offset });
            expect(theirs.lines[0]).toBe(String(offset));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
