/**
 * `@mfakit/core/validate`: the shared argument checks, and bytes from another realm (a `node:vm`
 * context stands in for an iframe or jsdom) accepted wherever core takes a secret or bytes.
 */
import { runInNewContext } from 'node:vm';
import { base32Decode, base32Encode, constantTimeEqual, createTotp, totp, verifyTotp } from '@mfakit/core';
import {
  algorithmArgument,
  algorithmOption,
  assertBytes,
  canonicalCode,
  constantTimeEqualMask,
  HASH_ALGORITHMS,
  integerArgument,
  integerOption,
  isBytes,
  isHashAlgorithm,
  isIntegerInRange,
  isRecord,
} from '@mfakit/core/validate';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

/** A Uint8Array built by another realm's constructor: `instanceof Uint8Array` is false here. */
function foreignBytes(values: number[]): Uint8Array {
  return runInNewContext(`new Uint8Array(${JSON.stringify(values)})`) as Uint8Array;
}

const SECRET = Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 0xff);
const AT = 1_700_000_000_000;

describe('bytes from another realm are bytes', () => {
  test('the foreign array really is from another realm', () => {
    expect(foreignBytes([1]) instanceof Uint8Array).toBe(false);
    expect(isBytes(foreignBytes([1]))).toBe(true);
  });

  test('secrets: the same codes as from local bytes', () => {
    const local = new Uint8Array(SECRET);
    const foreign = foreignBytes(SECRET);
    expect(totp(foreign, { at: AT })).toBe(totp(local, { at: AT }));
    const key = createTotp(foreign);
    expect(key.verify(totp(local, { at: AT }), { at: AT })).toMatchObject({ ok: true });
    key.destroy();
    expect(verifyTotp(foreign, totp(local, { at: AT }), { at: AT })).toMatchObject({ ok: true });
  });

  test('base32Encode and constantTimeEqual', () => {
    expect(base32Encode(foreignBytes(SECRET))).toBe(base32Encode(new Uint8Array(SECRET)));
    expect(constantTimeEqual(foreignBytes(SECRET), new Uint8Array(SECRET))).toBe(true);
    expect(constantTimeEqual(foreignBytes([1, 2]), foreignBytes([1, 3]))).toBe(false);
  });

  test('other views and look-alikes are not bytes', () => {
    for (const value of [
      new Uint16Array(4),
      new Int8Array(4),
      new Uint8ClampedArray(4),
      new DataView(new ArrayBuffer(4)),
      new ArrayBuffer(4),
      [1, 2, 3],
      { length: 1, 0: 1, constructor: { name: 'Uint8Array' } },
      runInNewContext('new Uint16Array(2)'),
      'AAAA',
      null,
      undefined,
    ]) {
      expect(isBytes(value), Object.prototype.toString.call(value)).toBe(false);
      expect(() => assertBytes(value, 'payload')).toThrow(new TypeError('payload must be a Uint8Array'));
    }
    expect(isBytes(Buffer.from('a'))).toBe(true);
  });
});

describe('the other checks', () => {
  test('isRecord: plain objects only', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
    for (const value of [null, undefined, [], 'x', 1, () => 1]) expect(isRecord(value)).toBe(false);
  });

  test('integers: TypeError for non-integers, RangeError naming the bounds', () => {
    expect(integerOption(undefined, 'digits', 6, 6, 8)).toBe(6);
    expect(integerArgument(7, 'digits', 6, 8)).toBe(7);
    expect(() => integerArgument(6.5, 'digits', 6, 8)).toThrow(new TypeError('digits must be an integer'));
    expect(() => integerArgument('7', 'digits', 6, 8)).toThrow(TypeError);
    expect(() => integerArgument(9, 'digits', 6, 8)).toThrow(new RangeError('digits must be between 6 and 8, got 9'));
    expect(isIntegerInRange(8, 6, 8)).toBe(true);
    expect(isIntegerInRange(Number.NaN, 6, 8)).toBe(false);
    expect(isIntegerInRange(5, 6, 8)).toBe(false);
  });

  test('algorithms: exactly the list, case-sensitive', () => {
    for (const algorithm of HASH_ALGORITHMS) {
      expect(isHashAlgorithm(algorithm)).toBe(true);
      expect(algorithmOption(algorithm)).toBe(algorithm);
    }
    expect(algorithmOption(undefined)).toBe('SHA1');
    expect(() => algorithmArgument(undefined)).toThrow(RangeError);
    for (const value of ['sha1', 'SHA-1', 'MD5', '', 1, null]) {
      expect(isHashAlgorithm(value)).toBe(false);
      expect(() => algorithmOption(value)).toThrow(RangeError);
    }
  });

  test('canonical code: ASCII spaces removed, exactly `digits` ASCII digits', () => {
    expect(Array.from(canonicalCode('123 456', 6) ?? [])).toEqual([...'123456'].map((c) => c.charCodeAt(0)));
    for (const code of ['12345', '1234567', '12345a', '１２３４５６', '123\t456', '+12345']) {
      expect(canonicalCode(code, 6)).toBeUndefined();
    }
    expect(() => canonicalCode(123456, 6)).toThrow(TypeError);
  });

  test('base32 decoding returns this realm’s bytes', () => {
    expect(base32Decode('MZXW6YTB') instanceof Uint8Array).toBe(true);
  });
});

describe('constantTimeEqualMask', () => {
  test('is 1 exactly where constantTimeEqual is true, 0 elsewhere (5 000 random pairs, half equal)', () => {
    const bytes = fc.uint8Array({ maxLength: 40 });
    fc.assert(
      fc.property(bytes, bytes, fc.boolean(), (a, b, same) => {
        const other = same ? Uint8Array.from(a) : b;
        expect(constantTimeEqualMask(a, other)).toBe(constantTimeEqual(a, other) ? 1 : 0);
      }),
      { numRuns: 5000 },
    );
    expect(constantTimeEqualMask(foreignBytes([1, 2]), new Uint8Array([1, 2]))).toBe(1);
    expect(constantTimeEqualMask(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(0);
  });

  test('refuses what is not bytes with a TypeError', () => {
    expect(() => constantTimeEqualMask([1, 2] as unknown as Uint8Array, new Uint8Array(2))).toThrow(TypeError);
    expect(() => constantTimeEqualMask(new Uint8Array(2), 'ab' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
