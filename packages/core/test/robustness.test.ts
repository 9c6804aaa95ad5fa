/**
 * Robustness: every public function of @mfakit/core, and every method of a prepared key, given
 * arbitrary inputs (strings, bytes, numbers, bigints, dates, objects, undefined, …) either
 * returns a well-formed value or throws MfaError, TypeError or RangeError — never anything else,
 * and never a JavaScript engine error leaking out of the implementation. 10 000 runs each.
 */
import * as core from '@mfakit/core';
import {
  base32Decode,
  base32Encode,
  constantTimeEqual,
  createHotp,
  createSteamGuard,
  createTotp,
  generateSecret,
  hotp,
  isMfaError,
  MfaError,
  normalizeBase32,
  steamGuardCode,
  totp,
  totpStep,
  verifyConsecutive,
  verifyHotp,
  verifySteamGuard,
  verifyTotp,
} from '@mfakit/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

const RUNS = 10_000;
const CORE_CODES = new Set(['invalid_base32', 'weak_secret']);
/** Messages of errors the engine throws on its own: a sign that bad input got past the checks. */
const ENGINE_ERROR =
  /Cannot (read|set) propert|is not a function|is not iterable|is not a constructor|Cannot convert|Cannot mix BigInt|serialize a BigInt|incompatible receiver|Maximum call stack|Invalid (array|typed array) length|Invalid time value|out of bounds|Invalid count value|Offset is outside/;

type Outcome = 'returned' | 'threw';

/** Runs `call`; a return goes to `check`, a throw must be one of the three allowed kinds. */
function returnsOrThrowsAllowed<T>(call: () => T, check: (value: T) => void, engineErrorsAllowed = false): Outcome {
  let value: T;
  try {
    value = call();
  } catch (error) {
    const allowed = error instanceof MfaError || error instanceof TypeError || error instanceof RangeError;
    expect(allowed, `unexpected ${String(error)}`).toBe(true);
    if (error instanceof MfaError) expect(CORE_CODES.has(error.code), error.code).toBe(true);
    if (!engineErrorsAllowed) expect((error as Error).message).not.toMatch(ENGINE_ERROR);
    return 'threw';
  }
  check(value);
  return 'returned';
}

// ---- arbitraries: mostly plausible values (to reach deep code), mixed with anything at all ----

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    true,
    false,
    0,
    -0,
    1,
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    2 ** 53,
    2 ** 64,
    '',
    ' ',
    '0',
    'SHA1',
    Symbol('junk'),
    new ArrayBuffer(20),
    new Uint16Array(10),
    new DataView(new ArrayBuffer(20)),
    [1, 2, 3],
    () => 1,
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  fc.uint8Array({ maxLength: 80 }),
  fc.date({ noInvalidDate: false }),
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 30 }),
  fc.object({ maxDepth: 1 }),
);

const mostly = <T>(plausible: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: plausible, weight: 4 }, { arbitrary: junk, weight: 1 });

const secret = fc.oneof(
  { arbitrary: fc.uint8Array({ minLength: 16, maxLength: 70 }), weight: 4 },
  { arbitrary: fc.uint8Array({ maxLength: 20 }), weight: 1 },
  { arbitrary: fc.uint8Array({ minLength: 16, maxLength: 32 }).map((b) => Buffer.from(b)), weight: 1 },
  { arbitrary: junk, weight: 1 },
);
const digitString = fc
  .integer({ min: 0, max: 11 })
  .chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789 '), minLength: n, maxLength: n }));
const code = fc.oneof(
  { arbitrary: digitString, weight: 3 },
  { arbitrary: fc.string({ unit: 'binary' }), weight: 1 },
  { arbitrary: junk, weight: 1 },
);
const counter = mostly(
  fc.oneof(fc.maxSafeNat(), fc.integer({ min: -10, max: 100 }), fc.bigInt({ min: -5n, max: 2n ** 65n }), fc.double()),
);
const at = mostly(
  fc.oneof(
    fc.integer({ min: 0, max: 4_102_444_800_000 }),
    fc.date({ noInvalidDate: false }),
    fc.double(),
    fc.maxSafeNat(),
  ),
);
const smallInt = (min: number, max: number) => mostly(fc.integer({ min, max }));
const windowValue = fc.oneof(
  { arbitrary: fc.integer({ min: -2, max: 12 }), weight: 6 },
  { arbitrary: fc.constantFrom(100, 1000, 1001, 1e9, 1.5), weight: 1 },
  { arbitrary: junk, weight: 1 },
);

const rarely = <T>(plausible: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: plausible, weight: 19 }, { arbitrary: junk, weight: 1 });

/** Options close to valid, so that runs get past the argument checks into the real work. */
const plausibleOptions = fc.record(
  {
    algorithm: rarely(fc.constantFrom('SHA1', 'SHA256', 'SHA512')),
    digits: rarely(fc.integer({ min: 6, max: 8 })),
    period: rarely(fc.integer({ min: 1, max: 120 })),
    t0: rarely(fc.integer({ min: 0, max: 1_000_000 })),
    allowShortSecret: rarely(fc.boolean()),
    at: rarely(fc.integer({ min: 1_000_000_000, max: 4_102_444_800_000 })),
    window: rarely(fc.integer({ min: 0, max: 12 })),
    allowWideWindow: rarely(fc.boolean()),
    driftSteps: rarely(fc.integer({ min: -12, max: 12 })),
    afterStep: rarely(fc.integer({ min: -2, max: 2 ** 40 })),
    counter: rarely(fc.integer({ min: 0, max: 2 ** 50 })),
  },
  { requiredKeys: ['at', 'counter'] },
);

/** Options with every field optional and each plausible or junk. */
const wildOptions = fc.record(
  {
    algorithm: mostly(fc.constantFrom('SHA1', 'SHA256', 'SHA512', 'sha1', 'MD5')),
    digits: smallInt(5, 11),
    period: mostly(fc.integer({ min: -1, max: 100_000 })),
    t0: mostly(fc.integer({ min: -1, max: 2_000_000_000 })),
    allowShortSecret: mostly(fc.boolean()),
    at,
    window: windowValue,
    allowWideWindow: mostly(fc.boolean()),
    driftSteps: smallInt(-12, 12),
    afterStep: mostly(fc.integer({ min: -2, max: 2 ** 40 })),
    counter,
  },
  { requiredKeys: [] },
);

const options = fc.oneof(
  { arbitrary: plausibleOptions, weight: 3 },
  { arbitrary: wildOptions, weight: 2 },
  { arbitrary: junk, weight: 1 },
);

const anything = fc.anything({
  maxDepth: 2,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withNullPrototype: true,
});

// ---- result checks ----

const DIGITS = /^[0-9]{6,10}$/;

function checkTotpResult(result: core.TotpVerifyResult): void {
  if (result.ok) {
    expect(Number.isSafeInteger(result.step) && result.step >= 0).toBe(true);
    expect(Number.isSafeInteger(result.delta)).toBe(true);
  } else {
    expect(['mismatch', 'malformed', 'replayed']).toContain(result.reason);
  }
}

function checkHotpResult(result: core.HotpVerifyResult): void {
  if (result.ok) {
    expect(Number.isSafeInteger(result.counter) && result.delta >= 0).toBe(true);
  } else {
    expect(['mismatch', 'malformed']).toContain(result.reason);
  }
}

/**
 * Runs the property RUNS times. When the body reports outcomes, both must be common (≥ 2 %):
 * a generator that only ever reaches the argument checks, or never reaches them, proves little.
 */
const prop = <Ts extends [unknown, ...unknown[]]>(
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  body: (...args: Ts) => unknown,
) => {
  const seen = { returned: 0, threw: 0 };
  let reported = false;
  fc.assert(
    fc.property(...arbitraries, (...args: Ts) => {
      const outcome = body(...args);
      if (outcome === 'returned' || outcome === 'threw') {
        reported = true;
        seen[outcome]++;
      }
    }),
    { numRuns: RUNS },
  );
  if (reported) {
    expect(seen.returned, 'runs that returned').toBeGreaterThan(RUNS * 0.02);
    expect(seen.threw, 'runs that threw').toBeGreaterThan(RUNS * 0.02);
  }
};

const as = <T>(value: unknown) => value as T;

/** Each public function (and prepared-key method) with its property. */
const PROPERTIES: Record<string, () => void> = {
  generateSecret: () =>
    prop([mostly(fc.integer({ min: -2, max: 1100 }))], (bytes) =>
      returnsOrThrowsAllowed(
        () => generateSecret(as(bytes)),
        (s) => expect(s instanceof Uint8Array && s.length >= 16 && s.length <= 1024).toBe(true),
      ),
    ),
  base32Encode: () =>
    prop([mostly(fc.uint8Array({ maxLength: 100 }))], (bytes) =>
      returnsOrThrowsAllowed(
        () => base32Encode(as(bytes)),
        (text) => expect(text).toMatch(/^[A-Z2-7]*$/),
      ),
    ),
  base32Decode: () =>
    prop(
      [fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...'ABCXYZ234567abc =-!') }), junk)],
      (text) => {
        try {
          const bytes = base32Decode(as(text));
          expect(bytes instanceof Uint8Array && bytes.length > 0).toBe(true);
        } catch (error) {
          // Text is user input: only invalid_base32. Anything else is a caller bug: TypeError.
          if (typeof text === 'string') expect(isMfaError(error, 'invalid_base32'), String(error)).toBe(true);
          else expect(error).toBeInstanceOf(TypeError);
        }
      },
    ),
  normalizeBase32: () =>
    prop(
      [fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...'MZXW6 =-a1') }), junk)],
      (text) => {
        try {
          expect(normalizeBase32(as(text))).toMatch(/^[A-Z2-7]+$/);
        } catch (error) {
          if (typeof text === 'string') expect(isMfaError(error, 'invalid_base32'), String(error)).toBe(true);
          else expect(error).toBeInstanceOf(TypeError);
        }
      },
    ),
  hotp: () =>
    prop([secret, counter, options], (s, c, o) =>
      returnsOrThrowsAllowed(
        () => hotp(as(s), as(c), as(o)),
        (value) => expect(value).toMatch(DIGITS),
      ),
    ),
  totp: () =>
    prop([secret, options], (s, o) =>
      returnsOrThrowsAllowed(
        () => totp(as(s), as(o)),
        (value) => expect(value).toMatch(/^[0-9]{6,8}$/),
      ),
    ),
  totpStep: () =>
    prop([at, options], (time, o) =>
      returnsOrThrowsAllowed(
        () => totpStep(as(time), as(o)),
        (step) => expect(Number.isSafeInteger(step) && step >= 0).toBe(true),
      ),
    ),
  createHotp: () =>
    prop([secret, options], (s, o) =>
      returnsOrThrowsAllowed(
        () => createHotp(as(s), as(o)),
        (key) => expect(typeof key.generate).toBe('function'),
      ),
    ),
  createTotp: () =>
    prop([secret, options], (s, o) =>
      returnsOrThrowsAllowed(
        () => createTotp(as(s), as(o)),
        (key) => expect(typeof key.verify).toBe('function'),
      ),
    ),
  verifyHotp: () =>
    prop([secret, code, options], (s, c, o) =>
      returnsOrThrowsAllowed(() => verifyHotp(as(s), as(c), as(o)), checkHotpResult),
    ),
  verifyTotp: () =>
    prop([secret, code, options], (s, c, o) =>
      returnsOrThrowsAllowed(() => verifyTotp(as(s), as(c), as(o)), checkTotpResult),
    ),
  verifyConsecutive: () =>
    prop([secret, code, code, options], (s, c1, c2, o) =>
      returnsOrThrowsAllowed(() => verifyConsecutive(as(s), as(c1), as(c2), as(o)), checkTotpResult),
    ),
  createSteamGuard: () =>
    prop([secret, options], (s, o) =>
      returnsOrThrowsAllowed(
        () => createSteamGuard(as(s), as(o)),
        (key) => expect(typeof key.verify).toBe('function'),
      ),
    ),
  steamGuardCode: () =>
    prop([secret, options], (s, o) =>
      returnsOrThrowsAllowed(
        () => steamGuardCode(as(s), as(o)),
        (value) => expect(value).toMatch(STEAM_CODE),
      ),
    ),
  verifySteamGuard: () =>
    prop([secret, fc.oneof(code, steamCode), options], (s, c, o) =>
      returnsOrThrowsAllowed(() => verifySteamGuard(as(s), as(c), as(o)), checkTotpResult),
    ),
  constantTimeEqual: () =>
    prop([mostly(fc.uint8Array({ maxLength: 8 })), mostly(fc.uint8Array({ maxLength: 8 }))], (a, b) =>
      returnsOrThrowsAllowed(
        () => constantTimeEqual(as(a), as(b)),
        (equal) => {
          const x = a as Uint8Array;
          const y = b as Uint8Array;
          expect(equal).toBe(x.length === y.length && x.every((v, i) => v === y[i]));
        },
      ),
    ),
  isMfaError: () =>
    prop([fc.oneof(anything, fc.constant(new MfaError('weak_secret', 'm'))), anything], (value, wanted) => {
      const result = isMfaError(value, as(wanted));
      expect(typeof result).toBe('boolean');
      if (result) expect(value).toBeInstanceOf(MfaError);
    }),
  MfaError: () =>
    prop([anything, anything, anything], (errorCode, message, errorOptions) =>
      // Error's own constructor may refuse a message it cannot turn into a string (TypeError).
      returnsOrThrowsAllowed(
        () => new MfaError(as<string>(errorCode), as<string>(message), as<core.MfaErrorOptions>(errorOptions)),
        (error) => {
          expect(error).toBeInstanceOf(Error);
          expect(error.name).toBe('MfaError');
          expect(error.code).toBe(errorCode);
        },
        true,
      ),
    ),
};

/** Prepared-key methods, on keys built from valid random parameters. */
const validTotpKey = fc
  .record({
    secret: fc.uint8Array({ minLength: 16, maxLength: 64 }),
    algorithm: fc.constantFrom(...core.HASH_ALGORITHMS),
    digits: fc.integer({ min: 6, max: 8 }),
    period: fc.integer({ min: 1, max: 120 }),
  })
  .map(({ secret: s, ...o }) => createTotp(s, o));
const validHotpKey = fc
  .record({
    secret: fc.uint8Array({ minLength: 16, maxLength: 64 }),
    algorithm: fc.constantFrom(...core.HASH_ALGORITHMS),
    digits: fc.integer({ min: 6, max: 10 }),
  })
  .map(({ secret: s, ...o }) => createHotp(s, o));

const validSteamKey = fc.uint8Array({ minLength: 16, maxLength: 64 }).map((s) => createSteamGuard(s));
const STEAM_CODE = /^[23456789BCDFGHJKMNPQRTVWXY]{5}$/;
const steamCode = fc.string({ unit: fc.constantFrom(...'23456789BCDFGHJKMNPQRTVWXYbcd 0A'), maxLength: 8 });

const METHODS: Record<string, () => void> = {
  'TotpKey.step': () =>
    prop([validTotpKey, at], (key, time) =>
      returnsOrThrowsAllowed(
        () => key.step(as(time)),
        (step) => expect(Number.isSafeInteger(step) && step >= 0).toBe(true),
      ),
    ),
  'TotpKey.generate': () =>
    prop([validTotpKey, at], (key, time) =>
      returnsOrThrowsAllowed(
        () => key.generate(as(time)),
        (value) => expect(value).toHaveLength(key.digits),
      ),
    ),
  'TotpKey.generateAtStep': () =>
    prop([validTotpKey, counter], (key, step) =>
      returnsOrThrowsAllowed(
        () => key.generateAtStep(as(step)),
        (value) => expect(value).toHaveLength(key.digits),
      ),
    ),
  'TotpKey.verify': () =>
    prop([validTotpKey, code, options], (key, c, o) =>
      returnsOrThrowsAllowed(() => key.verify(as(c), as(o)), checkTotpResult),
    ),
  'TotpKey.verifyConsecutive': () =>
    prop([validTotpKey, code, code, options], (key, c1, c2, o) =>
      returnsOrThrowsAllowed(() => key.verifyConsecutive(as(c1), as(c2), as(o)), checkTotpResult),
    ),
  'SteamGuardKey.generate': () =>
    prop([validSteamKey, at], (key, time) =>
      returnsOrThrowsAllowed(
        () => key.generate(as(time)),
        (value) => expect(value).toMatch(STEAM_CODE),
      ),
    ),
  'SteamGuardKey.verify': () =>
    prop([validSteamKey, fc.oneof(code, steamCode), options], (key, c, o) =>
      returnsOrThrowsAllowed(() => key.verify(as(c), as(o)), checkTotpResult),
    ),
  'HotpKey.generate': () =>
    prop([validHotpKey, counter], (key, c) =>
      returnsOrThrowsAllowed(
        () => key.generate(as(c)),
        (value) => expect(value).toHaveLength(key.digits),
      ),
    ),
  'HotpKey.verify': () =>
    prop([validHotpKey, code, options], (key, c, o) =>
      returnsOrThrowsAllowed(() => key.verify(as(c), as(o)), checkHotpResult),
    ),
  'destroyed keys': () =>
    prop([fc.boolean(), code, options, at], (isTotp, c, o, time) => {
      const key = isTotp ? createTotp(new Uint8Array(20)) : createHotp(new Uint8Array(20));
      key.destroy();
      key.destroy(); // twice is harmless
      const use = isTotp
        ? () => (key as core.TotpKey).verify(as(c), as(o))
        : () => (key as core.HotpKey).generate(as(time));
      expect(use).toThrow(TypeError);
    }),
};

describe('robustness: arbitrary input returns or throws MfaError/TypeError/RangeError', () => {
  test('every exported function has a property here', () => {
    const exported = Object.entries(core)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name)
      .sort();
    expect(exported).toEqual(Object.keys(PROPERTIES).sort());
  });

  test.each(Object.keys(PROPERTIES))(`%s (${RUNS} runs)`, (name) => {
    PROPERTIES[name]?.();
  });

  test.each(Object.keys(METHODS))(`%s (${RUNS} runs)`, (name) => {
    METHODS[name]?.();
  });
});
