// The bundle measures text with narrowWidth before string-width (src/tui/narrow-string-width.ts):
// it must agree with string-width 8 (the version Ink uses) on everything it answers.
import fc from 'fast-check';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import { NARROW, narrowWidth } from '../src/tui/narrow-string-width.js';

const narrowCodePoints: number[] = [];
for (let codePoint = 0; codePoint <= 0xffff; codePoint++) {
  if (NARROW.test(String.fromCharCode(codePoint))) narrowCodePoints.push(codePoint);
}

describe('narrowWidth', () => {
  it('covers ASCII and the symbols the app draws', () => {
    expect(narrowCodePoints.length).toBeGreaterThan(1000);
    for (const text of ['› GitHub · alice@example.com', '██████░░░░ 12s', '↵ copy  ↑↓ move', 'Müller – Zürich']) {
      expect(narrowWidth(text)).toBe(stringWidth(text));
    }
  });

  it('agrees with string-width on every code point it accepts (each is one column)', () => {
    const wrong = narrowCodePoints.filter((codePoint) => stringWidth(String.fromCharCode(codePoint)) !== 1);
    expect(wrong.map((codePoint) => codePoint.toString(16))).toEqual([]);
  });

  it('agrees with string-width on random strings of them (no two join into one cluster)', () => {
    const char = fc.constantFrom(...narrowCodePoints).map((codePoint) => String.fromCharCode(codePoint));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(narrowWidth(text)).toBe(stringWidth(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('measures styled text as string-width does: escape sequences take no columns', () => {
    const char = fc.constantFrom(...narrowCodePoints).map((codePoint) => String.fromCharCode(codePoint));
    const sgr = fc.constantFrom(
      '\u001b[31m',
      '\u001b[39m',
      '\u001b[1;36m',
      '\u001b[0m',
      '\u009b2m',
      '\u001b]8;;x\u0007',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(char, sgr), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(narrowWidth(text, stripAnsi)).toBe(stringWidth(text));
      }),
      { numRuns: 3000 },
    );
    expect(narrowWidth('\u001b[36m› GitHub\u001b[39m', stripAnsi)).toBe(8);
    expect(narrowWidth('\u001b[36m› GitHub\u001b[39m')).toBeUndefined();
  });

  it('leaves everything else to string-width', () => {
    for (const text of ['漢字', '👍', 'e\u0301', '\u001b[31m漢\u001b[39m', 'a\u00adb', '\u200b', 'tab\t', 42]) {
      expect(narrowWidth(text, stripAnsi)).toBeUndefined();
    }
  });
});
