/**
 * Canary test: a recognisable secret is pushed through every error path and every way a prepared
 * key can be printed; neither its bytes (as text, hex, base32, base64 or byte lists) nor a typed
 * code may appear in any message, stack, inspection or serialisation.
 */
import { format, inspect } from 'node:util';
import {
  base32Decode,
  base32Encode,
  createHotp,
  createTotp,
  hotp,
  normalizeBase32,
  totp,
  verifyConsecutive,
  verifyHotp,
  verifyTotp,
} from '@mfakit/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { asciiBytes } from './support/reference.js';

const CANARY = asciiBytes('CANARY-SECRET-0123456789');
const AT = 1_700_000_000_000;
const CODE = totp(CANARY, { at: AT });

/** Every way of writing `bytes` we look for, as overlapping fragments (a partial leak counts). */
function fragments(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  const out = new Set<string>();
  const windows = (text: string, size: number) => {
    for (let i = 0; i + size <= text.length; i++) out.add(text.slice(i, i + size));
  };
  windows(buffer.toString('latin1'), 6);
  windows(buffer.toString('hex'), 12);
  windows(buffer.toString('hex').toUpperCase(), 12);
  windows(base32Encode(bytes), 10);
  windows(base32Encode(bytes).toLowerCase(), 10);
  windows(buffer.toString('base64'), 8);
  windows(buffer.toString('base64url'), 8);
  for (let i = 0; i + 4 <= bytes.length; i++) {
    const run = [...bytes.subarray(i, i + 4)];
    out.add(run.join(', ')); // util.inspect of a Uint8Array
    out.add(run.join(',')); // Array.prototype.toString, JSON arrays
    out.add(run.map((b, j) => `"${i + j}":${b}`).join(',')); // JSON.stringify of a Uint8Array
  }
  return [...out];
}

const CANARY_FRAGMENTS = fragments(CANARY);

function leaked(text: string, extra: readonly string[] = []): string | undefined {
  return [...CANARY_FRAGMENTS, ...extra].find((fragment) => text.includes(fragment));
}

/** All the text an error exposes to a log, a response body or a crash report. */
function errorTexts(error: unknown): string[] {
  const e = error as Error;
  return [
    String(e.message),
    String(e.stack),
    String(e),
    inspect(e, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
    JSON.stringify(e),
    format('%o', e),
  ];
}

function capture(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('the canary detector (positive controls)', () => {
  test('finds the canary in the forms a careless message would use', () => {
    const base32 = base32Encode(CANARY);
    for (const text of [
      inspect(CANARY),
      JSON.stringify(CANARY),
      JSON.stringify([...CANARY]),
      `secret=${Buffer.from(CANARY).toString('hex')}`,
      `secret=${base32.slice(3, 20)}`,
      Buffer.from(CANARY).toString('base64'),
      new TextDecoder().decode(CANARY.subarray(5, 14)),
      inspect({ secret: CANARY }),
    ]) {
      expect(leaked(text), text).toBeDefined();
    }
    expect(leaked('The secret is 24 bytes; at least 16 are required.')).toBeUndefined();
  });
});

describe('errors never contain the secret or a code', () => {
  const key = createTotp(CANARY);
  const destroyed = createHotp(CANARY);
  destroyed.destroy();
  const base32 = base32Encode(CANARY);

  const FAILING: [string, () => unknown][] = [
    ['weak secret (a 10-byte piece of the canary)', () => hotp(CANARY.subarray(0, 10), 0)],
    ['weak secret in verifyTotp', () => verifyTotp(CANARY.subarray(8, 20), CODE, { at: AT })],
    ['negative counter', () => hotp(CANARY, -1)],
    ['fractional counter', () => hotp(CANARY, 1.5)],
    ['counter above 2^64', () => hotp(CANARY, 2n ** 64n)],
    ['digits out of range', () => createHotp(CANARY, { digits: 11 })],
    ['unknown algorithm', () => createTotp(CANARY, { algorithm: 'MD5' as 'SHA1' })],
    ['zero period', () => totp(CANARY, { at: AT, period: 0 })],
    ['missing time', () => totp(CANARY, {} as { at: number })],
    ['negative time', () => key.generate(-1)],
    ['time before t0', () => createTotp(CANARY, { t0: 2_000_000_000 }).generate(AT)],
    ['wide window without the flag', () => key.verify(CODE, { at: AT, window: 11 })],
    ['wide window in verifyTotp', () => verifyTotp(CANARY, CODE, { at: AT, window: 50 })],
    ['fractional afterStep', () => key.verify(CODE, { at: AT, afterStep: 0.5 })],
    ['code as a number', () => key.verify(Number(CODE) as unknown as string, { at: AT })],
    ['second code as a number', () => verifyConsecutive(CANARY, CODE, Number(CODE) as unknown as string, { at: AT })],
    ['HOTP counter overflow', () => verifyHotp(CANARY, CODE, { counter: Number.MAX_SAFE_INTEGER })],
    ['destroyed key', () => destroyed.generate(0)],
    ['destroyed key verify', () => destroyed.verify(CODE, { counter: 0 })],
    ['base32 with a bad character', () => base32Decode(`${base32}!`)],
    ['base32 with an impossible length', () => base32Decode(base32.slice(0, 9))],
    ['base32 with = in the middle', () => base32Decode(`${base32.slice(0, 8)}=${base32.slice(8)}`)],
    ['base32 with wrong padding', () => normalizeBase32(`${base32.toLowerCase()}==`)],
    ['base32 with a digit 1', () => base32Decode(`${base32}1`)],
  ];

  test.each(FAILING)('%s', (_name, run) => {
    const error = capture(run);
    expect(error).toBeInstanceOf(Error);
    for (const text of errorTexts(error)) {
      // The stack names test source lines, which mention CODE by name, never its value.
      expect(leaked(text, [CODE])).toBeUndefined();
    }
  });
});

describe('prepared keys print parameters only', () => {
  const keys = {
    totp: createTotp(CANARY, { algorithm: 'SHA256', digits: 8, period: 60 }),
    hotp: createHotp(CANARY, { digits: 7 }),
  };

  test.each(Object.entries(keys))('%s key: inspect, String, JSON, console formats', (_name, key) => {
    const texts = [
      inspect(key),
      inspect(key, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true, customInspect: false }),
      inspect([key], { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      String(key),
      `${key}`,
      JSON.stringify(key),
      JSON.stringify({ key }),
      format('%s %o %O %j', key, key, key, key),
      inspect(Object.getOwnPropertyNames(key).map((name) => (key as unknown as Record<string, unknown>)[name])),
    ];
    for (const text of texts) expect(leaked(text), text).toBeUndefined();
    expect(inspect(key)).toContain(String(key.digits));
  });

  test('and so does a destroyed key', () => {
    const key = createTotp(CANARY);
    key.destroy();
    expect(leaked(inspect(key, { showHidden: true, customInspect: false }))).toBeUndefined();
    expect(leaked(JSON.stringify(key))).toBeUndefined();
  });
});

describe('base32Decode errors never echo the input', () => {
  const dataChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.split(''));
  const badChar = fc.constantFrom('!', '@', '#', '0', '1', '8', '9', '\t', '\n', '.', '_', 'é', '\u00a0');

  test('for any text with a bad character, a bad length or misplaced padding', () => {
    fc.assert(
      fc.property(
        fc.array(dataChar, { minLength: 12, maxLength: 80 }),
        fc.constantFrom('bad-character', 'bad-length', 'padding-inside'),
        badChar,
        fc.nat(),
        (chars, flaw, bad, where) => {
          let text = chars.join('');
          const at = where % (text.length + 1);
          if (flaw === 'bad-character') text = text.slice(0, at) + bad + text.slice(at);
          else if (flaw === 'padding-inside') text = `${text.slice(0, 8)}=${text.slice(8)}`;
          else text = text.slice(0, text.length - (((text.length % 8) + 8 - 1) % 8)); // → 1 mod 8
          const error = capture(() => base32Decode(text));
          const windows: string[] = [];
          for (let i = 0; i + 8 <= text.length; i++) windows.push(text.slice(i, i + 8));
          for (const message of errorTexts(error)) {
            expect(windows.find((w) => message.includes(w))).toBeUndefined();
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
