/**
 * What a typed code may look like (DESIGN "Constant time"): ASCII spaces (U+0020) are removed,
 * then the code must be exactly `digits` ASCII digits; anything else is 'malformed', is decided
 * before the secret is touched, and is never accepted. Strings never throw; non-strings are
 * caller bugs (TypeError).
 */
import { createHotp, createTotp, hotp, totp, verifyConsecutive, verifyHotp, verifyTotp } from '@mfakit/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { RFC_SECRET } from './support/reference.js';

const AT = 1_700_000_000_000;
/** Longest raw string the core examines (a denial-of-service bound, far above any real code). */
const MAX_RAW_CODE_LENGTH = 64;

/** The specification: the canonical digits, or undefined when the input is malformed. */
function canonical(input: string, digits: number): string | undefined {
  if (input.length > MAX_RAW_CODE_LENGTH) return undefined;
  const stripped = input.replaceAll(' ', '');
  return new RegExp(`^[0-9]{${digits}}$`).test(stripped) ? stripped : undefined;
}

const FULL_WIDTH = (code: string) => [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
const ARABIC_INDIC = (code: string) => [...code].map((d) => String.fromCharCode(0x0660 + Number(d))).join('');

/** Inputs built from the *correct* code that must still be malformed. */
const MALFORMED: [string, (code: string) => string][] = [
  ['empty', () => ''],
  ['only spaces', () => '      '],
  ['full-width digits', FULL_WIDTH],
  ['Arabic-Indic digits', ARABIC_INDIC],
  [
    'mathematical bold digits (surrogate pairs)',
    (c) => [...c].map((d) => String.fromCodePoint(0x1d7ce + Number(d))).join(''),
  ],
  ['leading plus sign', (c) => `+${c}`],
  ['leading minus sign', (c) => `-${c}`],
  ['"123 456\\n" style trailing newline', (c) => `${c.slice(0, 3)} ${c.slice(3)}\n`],
  ['trailing carriage return', (c) => `${c}\r`],
  ['tab separator', (c) => `${c.slice(0, 3)}\t${c.slice(3)}`],
  ['leading tab', (c) => `\t${c}`],
  ['no-break space separator', (c) => `${c.slice(0, 3)}\u00a0${c.slice(3)}`],
  ['ideographic space', (c) => `${c.slice(0, 3)}\u3000${c.slice(3)}`],
  ['zero-width space', (c) => `${c.slice(0, 3)}\u200b${c.slice(3)}`],
  ['byte order mark', (c) => `\ufeff${c}`],
  ['hyphen separator', (c) => `${c.slice(0, 3)}-${c.slice(3)}`],
  ['dot separator', (c) => `${c.slice(0, 3)}.${c.slice(3)}`],
  ['decimal point and zero', (c) => `${c}.0`],
  ['exponent', (c) => `${c}e0`],
  ['hex prefix', (c) => `0x${c}`],
  ['NUL terminator', (c) => `${c}\u0000`],
  ['seven digits for a six-digit key (extra digit)', (c) => `${c}0`],
  ['seven digits for a six-digit key (extra leading zero)', (c) => `0${c}`],
  ['five digits', (c) => c.slice(1)],
  ['letter O for zero', (c) => c.replaceAll('0', 'O').replace(/^./, 'O')],
  ['the code twice', (c) => c + c],
  ['the code padded with spaces past the length bound', (c) => `${c}${' '.repeat(MAX_RAW_CODE_LENGTH)}`],
  ['a very long string of digits', (c) => c.repeat(200_000)],
];

/** Inputs built from the correct code that must be accepted (only ASCII spaces are removed). */
const ACCEPTED: [string, (code: string) => string][] = [
  ['as is', (c) => c],
  ['3+3 groups', (c) => `${c.slice(0, 3)} ${c.slice(3)}`],
  ['surrounding spaces', (c) => `  ${c} `],
  ['a space between every digit', (c) => [...c].join(' ')],
];

describe('canonicalisation of typed codes', () => {
  const code = totp(RFC_SECRET, { at: AT });
  const key = createTotp(RFC_SECRET);

  test.each(MALFORMED)('%s → malformed, everywhere', (_name, make) => {
    const input = make(code);
    expect(canonical(input, 6)).toBeUndefined(); // the table itself follows the specification
    const malformed = { ok: false, reason: 'malformed' };
    expect(verifyTotp(RFC_SECRET, input, { at: AT })).toEqual(malformed);
    expect(key.verify(input, { at: AT, window: 10 })).toEqual(malformed);
    expect(verifyHotp(RFC_SECRET, make(hotp(RFC_SECRET, 7)), { counter: 7 })).toEqual(malformed);
    expect(createHotp(RFC_SECRET).verify(make(hotp(RFC_SECRET, 7)), { counter: 0 })).toEqual(malformed);
    const next = key.generateAtStep(key.step(AT) + 1);
    expect(key.verifyConsecutive(input, next, { at: AT })).toEqual(malformed);
    expect(key.verifyConsecutive(code, make(next), { at: AT })).toEqual(malformed);
    expect(verifyConsecutive(RFC_SECRET, input, next, { at: AT })).toEqual(malformed);
  });

  test.each(ACCEPTED)('%s → accepted', (_name, make) => {
    expect(verifyTotp(RFC_SECRET, make(code), { at: AT })).toEqual({ ok: true, step: key.step(AT), delta: 0 });
    expect(verifyHotp(RFC_SECRET, make(hotp(RFC_SECRET, 7)), { counter: 7 })).toMatchObject({ ok: true, counter: 7 });
  });

  test('digits decide the length: 8-digit keys refuse 6 and 7 digits, 10-digit HOTP refuses 9', () => {
    const eight = createTotp(RFC_SECRET, { digits: 8 });
    const full = eight.generate(AT);
    expect(eight.verify(full, { at: AT })).toMatchObject({ ok: true });
    expect(eight.verify(full.slice(2), { at: AT })).toEqual({ ok: false, reason: 'malformed' });
    expect(eight.verify(full.slice(1), { at: AT })).toEqual({ ok: false, reason: 'malformed' });
    const ten = hotp(RFC_SECRET, 3, { digits: 10 });
    expect(verifyHotp(RFC_SECRET, ten, { counter: 3, digits: 10 })).toMatchObject({ ok: true, counter: 3 });
    expect(verifyHotp(RFC_SECRET, ten.slice(1), { counter: 3, digits: 10 })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  const OTHER_CHARACTERS = [
    '\t',
    '\n',
    '\r',
    '\u00a0',
    '\u3000',
    '\u2009',
    '\u200b',
    '+',
    '-',
    '.',
    ',',
    '\u0000',
    'a',
    'O',
  ];
  const edit = fc.record({
    kind: fc.constantFrom('insert', 'delete', 'replace'),
    position: fc.nat(),
    character: fc.oneof(
      { arbitrary: fc.constantFrom(...'0123456789'.split('')), weight: 3 },
      { arbitrary: fc.constant(' '), weight: 2 },
      { arbitrary: fc.constantFrom('０', '５', '٣', '𝟏'), weight: 1 },
      { arbitrary: fc.constantFrom(...OTHER_CHARACTERS), weight: 1 },
    ),
  });

  test('edited codes: malformed exactly when the specification says so, accepted only when canonical = code', () => {
    const reasons = new Map<string, number>();
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 8 }), fc.array(edit, { maxLength: 4 }), (digits, edits) => {
        const prepared = createTotp(RFC_SECRET, { digits });
        const real = prepared.generate(AT);
        let input = real;
        for (const { kind, position, character } of edits) {
          const at = position % (input.length + 1);
          if (kind === 'insert') input = input.slice(0, at) + character + input.slice(at);
          else if (kind === 'delete') input = input.slice(0, at) + input.slice(at + 1);
          else input = input.slice(0, at) + character + input.slice(at + 1);
        }
        const result = prepared.verify(input, { at: AT, window: 0 });
        const expected = canonical(input, digits);
        if (expected === undefined) expect(result).toEqual({ ok: false, reason: 'malformed' });
        else if (expected === real) expect(result).toEqual({ ok: true, step: prepared.step(AT), delta: 0 });
        else expect(result).toEqual({ ok: false, reason: 'mismatch' });
        const kind = result.ok ? 'ok' : result.reason;
        reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach all three outcomes, or the property above proves little.
    for (const kind of ['ok', 'malformed', 'mismatch']) expect(reasons.get(kind) ?? 0).toBeGreaterThan(100);
  });

  test('arbitrary strings never throw and are accepted only when their canonical form is the code', () => {
    const stringInput = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ unit: fc.constantFrom(...'0123456789 \t\n+-'.split('')), maxLength: 80 }),
    );
    fc.assert(
      fc.property(stringInput, (input) => {
        const result = verifyTotp(RFC_SECRET, input, { at: AT, window: 1 });
        const expected = canonical(input, 6);
        if (expected === undefined) expect(result).toEqual({ ok: false, reason: 'malformed' });
        else expect(result.ok).toBe([-1, 0, 1].some((k) => key.generateAtStep(key.step(AT) + k) === expected));
      }),
      { numRuns: 3000 },
    );
  });

  const NON_STRINGS: [string, (code: string) => unknown][] = [
    ['the code as a number', (c) => Number(c)],
    ['the code as a bigint', (c) => BigInt(c)],
    ['a String object', (c) => new String(c)],
    ['an array holding the code', (c) => [c]],
    ['an object whose toString is the code', (c) => ({ toString: () => c })],
    ['the code as bytes', (c) => new TextEncoder().encode(c)],
    ['undefined', () => undefined],
    ['null', () => null],
    ['true', () => true],
  ];

  test.each(NON_STRINGS)('%s → TypeError, everywhere', (_name, make) => {
    const value = make(code) as string;
    const next = key.generateAtStep(key.step(AT) + 1);
    expect(() => verifyTotp(RFC_SECRET, value, { at: AT })).toThrow(TypeError);
    expect(() => key.verify(value, { at: AT })).toThrow(TypeError);
    expect(() => verifyHotp(RFC_SECRET, make(hotp(RFC_SECRET, 0)) as string, { counter: 0 })).toThrow(TypeError);
    expect(() => createHotp(RFC_SECRET).verify(value, { counter: 0 })).toThrow(TypeError);
    expect(() => verifyConsecutive(RFC_SECRET, value, next, { at: AT })).toThrow(TypeError);
    expect(() => verifyConsecutive(RFC_SECRET, code, value, { at: AT })).toThrow(TypeError);
    expect(() => key.verifyConsecutive(code, value, { at: AT })).toThrow(TypeError);
  });
});

describe('a malformed code is rejected before the secret is read', () => {
  /** A secret that counts how many of its bytes were read. */
  function spiedSecret(bytes: Uint8Array): { secret: Uint8Array; reads: () => number } {
    let reads = 0;
    const secret = new Proxy(bytes, {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
        const value = Reflect.get(target, property, receiver === secret ? target : receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { secret, reads: () => reads };
  }

  const cases: [string, (secret: Uint8Array, code: string) => unknown][] = [
    ['verifyTotp (SHA1)', (s, c) => verifyTotp(s, c, { at: AT })],
    ['verifyTotp (SHA256)', (s, c) => verifyTotp(s, c, { at: AT, algorithm: 'SHA256' })],
    ['verifyHotp', (s, c) => verifyHotp(s, c, { counter: 0 })],
    ['verifyConsecutive (first code)', (s, c) => verifyConsecutive(s, c, '000000', { at: AT })],
    ['verifyConsecutive (second code)', (s, c) => verifyConsecutive(s, '000000', c, { at: AT })],
  ];

  test.each(cases)('%s', (_name, verify) => {
    // Positive control: a well-formed (wrong) code does read the secret, so the spy works.
    const control = spiedSecret(RFC_SECRET.slice());
    expect(verify(control.secret, '000000')).toMatchObject({ ok: false });
    expect(control.reads()).toBeGreaterThan(0);

    const spied = spiedSecret(RFC_SECRET.slice());
    expect(verify(spied.secret, `${totp(RFC_SECRET, { at: AT })}\n`)).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(spied.secret, '１２３４５６')).toEqual({ ok: false, reason: 'malformed' });
    expect(spied.reads()).toBe(0);
  });
});
