import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decimalEncoding } from '../src/otp-engine.js';

// A generated code takes the encoding's text path, a verified one its byte path: they must agree
// for every 31-bit value (RFC 4226 §5.3) and every length, or generate and verify would disagree.
describe('decimal code encoding', () => {
  test('text and bytes are the same code for any 31-bit value, 6 to 10 digits (10 000 runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), fc.integer({ min: 6, max: 10 }), (value, digits) => {
        const encoding = decimalEncoding(digits);
        const bytes = new Uint8Array(digits);
        encoding.write(value, bytes);
        const text = encoding.text?.(value);
        expect(text).toBe(String.fromCharCode(...bytes));
        expect(text).toHaveLength(digits);
      }),
      { numRuns: 10_000 },
    );
  });

  test('leading zeros are kept', () => {
    expect(decimalEncoding(6).text?.(1_000_042)).toBe('000042');
  });
});
