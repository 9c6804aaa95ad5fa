/**
 * Strict RFC 4648 base32: the §10 vectors, the accept/reject table in vectors/base32.json, and
 * properties against an independent decoder, against otpauth's encoder and against thirty-two
 * (the design card's base32 library, which needs Buffer and so stays out of the runtime path).
 */
/// <reference path="./support/thirty-two.d.ts" />
import { base32Decode, base32Encode, isMfaError, normalizeBase32 } from '@mfakit/core';
import fc from 'fast-check';
import { Secret } from 'otpauth';
import thirtyTwo from 'thirty-two';
import { describe, expect, test } from 'vitest';
import { asciiBytes, toHex } from './support/reference.js';
import vectors from './vectors/base32.json' with { type: 'json' };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A plain bit-accumulator decoder, written from RFC 4648 §6 for comparison. */
function referenceDecode(canonical: string): string {
  let buffer = 0;
  let bits = 0;
  const out: number[] = [];
  for (const ch of canonical) {
    buffer = ((buffer << 5) | ALPHABET.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out).toString('hex');
}

function expectInvalidBase32(input: string): void {
  let thrown: unknown;
  try {
    base32Decode(input);
  } catch (error) {
    thrown = error;
  }
  expect(isMfaError(thrown, 'invalid_base32'), `expected invalid_base32 for ${JSON.stringify(input)}`).toBe(true);
  expect(() => normalizeBase32(input)).toThrow(expect.objectContaining({ code: 'invalid_base32' }));
}

const base32Char = fc.constantFrom(...ALPHABET.split(''));

describe('RFC 4648 §10 vectors', () => {
  test.each(vectors.rfc4648)('BASE32("$ascii") = "$base32"', ({ ascii, base32 }) => {
    const bytes = asciiBytes(ascii);
    expect(base32Encode(bytes)).toBe(base32.replace(/=+$/, ''));
    if (ascii === '') {
      // An empty secret is never valid input.
      expectInvalidBase32(base32);
    } else {
      expect(toHex(base32Decode(base32))).toBe(toHex(bytes));
      expect(toHex(base32Decode(base32.replace(/=+$/, '')))).toBe(toHex(bytes));
    }
  });
});

describe('accepted input', () => {
  test.each(vectors.valid)('$why: $input', ({ input, hex }) => {
    expect(toHex(base32Decode(input))).toBe(hex);
    expect(referenceDecode(normalizeBase32(input))).toBe(hex);
    expect(normalizeBase32(input)).toMatch(/^[A-Z2-7]+$/);
  });
});

describe('rejected input', () => {
  test.each(vectors.invalid)('$why', ({ input }) => expectInvalidBase32(input));

  test('non-strings are TypeErrors, not invalid_base32', () => {
    for (const value of [undefined, null, 42, asciiBytes('MZXW6YTB'), ['M', 'Y'], { toString: () => 'MY' }]) {
      expect(() => base32Decode(value as unknown as string)).toThrow(TypeError);
      expect(() => normalizeBase32(value as unknown as string)).toThrow(TypeError);
    }
    expect(() => base32Encode('foo' as unknown as Uint8Array)).toThrow(TypeError);
  });

  test('lengths of 1, 3 or 6 characters mod 8 are rejected at every size, padded or not', () => {
    fc.assert(
      fc.property(fc.array(base32Char, { minLength: 1, maxLength: 120 }), fc.boolean(), (chars, padded) => {
        const text = chars.join('');
        fc.pre([1, 3, 6].includes(text.length % 8));
        expectInvalidBase32(padded ? text.padEnd(Math.ceil(text.length / 8) * 8, '=') : text);
      }),
      { numRuns: 500 },
    );
  });

  test('any character outside A-Z, a-z, 2-7, space, hyphen and = makes the text invalid', () => {
    const outsider = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 1 })
      .filter((c) => !/^[A-Za-z2-7 \-=]$/.test(c));
    fc.assert(
      fc.property(fc.array(base32Char, { minLength: 8, maxLength: 40 }), outsider, fc.nat(), (chars, bad, where) => {
        const at = where % (chars.length + 1);
        expectInvalidBase32([...chars.slice(0, at), bad, ...chars.slice(at)].join(''));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('properties', () => {
  test('decode(encode(bytes)) = bytes, and encode matches otpauth', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), (bytes) => {
        const text = base32Encode(bytes);
        expect(text).toMatch(/^[A-Z2-7]*$/);
        expect(toHex(base32Decode(text))).toBe(toHex(bytes));
        expect(text).toBe(new Secret({ buffer: bytes.slice().buffer }).base32.replace(/=+$/, ''));
      }),
      { numRuns: 1000 },
    );
  });

  test('case, spaces, hyphens and correct padding do not change the decoded bytes', () => {
    const separator = fc.constantFrom(' ', '-', '  ', ' - ');
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.array(fc.tuple(fc.nat(), separator), { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 200 }),
        fc.boolean(),
        (bytes, separators, lowerMask, padded) => {
          let text = base32Encode(bytes);
          if (padded) text = text.padEnd(Math.ceil(text.length / 8) * 8, '=');
          text = [...text].map((c, i) => (lowerMask[i % lowerMask.length] ? c.toLowerCase() : c)).join('');
          for (const [position, sep] of separators) {
            const at = position % (text.length + 1);
            text = text.slice(0, at) + sep + text.slice(at);
          }
          expect(toHex(base32Decode(text))).toBe(toHex(bytes));
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('the decoder agrees with an independent decoder on every valid canonical string', () => {
    fc.assert(
      fc.property(fc.array(base32Char, { minLength: 1, maxLength: 120 }), (chars) => {
        const text = chars.join('');
        fc.pre(![1, 3, 6].includes(text.length % 8));
        expect(toHex(base32Decode(text))).toBe(referenceDecode(text));
      }),
      { numRuns: 1000 },
    );
  });

  test('encode and decode agree with thirty-two on every byte string and every valid canonical text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 130 }), (bytes) => {
        const theirs = thirtyTwo.encode(Buffer.from(bytes)).toString('latin1').replace(/=+$/, '');
        expect(base32Encode(bytes)).toBe(theirs);
        expect(toHex(base32Decode(theirs))).toBe(toHex(thirtyTwo.decode(theirs)));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.array(base32Char, { minLength: 1, maxLength: 120 }), (chars) => {
        const text = chars.join('');
        fc.pre(![1, 3, 6].includes(text.length % 8));
        expect(toHex(base32Decode(text))).toBe(toHex(thirtyTwo.decode(text)));
      }),
      { numRuns: 1000 },
    );
  });

  test('every character value decodes and encodes as the RFC 4648 §6 alphabet says', () => {
    for (let value = 0; value < 32; value++) {
      const character = ALPHABET[value] as string;
      // Eight equal characters: five bytes whose bits repeat the 5-bit value.
      const text = character.repeat(8);
      const bytes = base32Decode(text);
      expect(base32Encode(bytes)).toBe(text);
      expect(toHex(bytes)).toBe(toHex(thirtyTwo.decode(text)));
      expect(toHex(base32Decode(text.toLowerCase()))).toBe(toHex(bytes));
    }
  });
});
