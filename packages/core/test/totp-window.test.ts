/**
 * TOTP verification windows (RFC 6238 §5.2), learned drift, the replay guard and two-consecutive-
 * code verification (enrollment/resync), checked against a naive model that scans the window
 * code by code, and against the intent stated in the design.
 */
import { createTotp, type TotpKey, totp, totpStep, verifyConsecutive, verifyTotp } from '@mfakit/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { RFC_SECRET, referenceStep, secretBytes } from './support/reference.js';

const AT = 1_700_000_000_000;

type Outcome = { ok: true; step: number; delta: number } | { ok: false; reason: 'mismatch' | 'replayed' };

/** The specification, written the slow obvious way: the lowest eligible matching step wins. */
function modelVerify(key: TotpKey, code: string, current: number, first: number, last: number, after: number): Outcome {
  const matches: number[] = [];
  for (let step = Math.max(first, 0); step <= last; step++) if (key.generateAtStep(step) === code) matches.push(step);
  const eligible = matches.filter((step) => step > after);
  if (eligible.length > 0) return { ok: true, step: eligible[0] as number, delta: (eligible[0] as number) - current };
  return matches.length > 0 ? { ok: false, reason: 'replayed' } : { ok: false, reason: 'mismatch' };
}

function modelConsecutive(
  key: TotpKey,
  code1: string,
  code2: string,
  current: number,
  first: number,
  last: number,
  after: number,
): Outcome {
  const pairs: number[] = [];
  for (let t = Math.max(first, 0); t <= last; t++) {
    if (key.generateAtStep(t) === code1 && key.generateAtStep(t + 1) === code2) pairs.push(t);
  }
  const eligible = pairs.filter((t) => t > after);
  if (eligible.length > 0)
    return { ok: true, step: (eligible[0] as number) + 1, delta: (eligible[0] as number) + 1 - current };
  return pairs.length > 0 ? { ok: false, reason: 'replayed' } : { ok: false, reason: 'mismatch' };
}

describe('window', () => {
  const key = createTotp(RFC_SECRET);
  const current = key.step(AT);
  const codeAt = (k: number) => key.generateAtStep(current + k);

  test('the default window (1) accepts the previous, current and next step and reports the delta', () => {
    for (const k of [-1, 0, 1]) {
      expect(key.verify(codeAt(k), { at: AT })).toEqual({ ok: true, step: current + k, delta: k });
      expect(verifyTotp(RFC_SECRET, codeAt(k), { at: AT })).toEqual({ ok: true, step: current + k, delta: k });
    }
  });

  test('the default window refuses two steps away on either side', () => {
    for (const k of [-2, 2, -3, 3]) {
      expect(key.verify(codeAt(k), { at: AT })).toEqual({ ok: false, reason: 'mismatch' });
      expect(verifyTotp(RFC_SECRET, codeAt(k), { at: AT, window: 1 })).toEqual({ ok: false, reason: 'mismatch' });
    }
  });

  test('window 0 accepts only the current step, and the step is decided by `at` to the millisecond', () => {
    const stepStart = current * 30_000;
    expect(key.verify(codeAt(0), { at: stepStart, window: 0 })).toMatchObject({ ok: true, delta: 0 });
    expect(key.verify(codeAt(0), { at: stepStart + 29_999, window: 0 })).toMatchObject({ ok: true, delta: 0 });
    expect(key.verify(codeAt(0), { at: stepStart - 1, window: 0 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(key.verify(codeAt(0), { at: stepStart + 30_000, window: 0 })).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('windows above 10 need allowWideWindow (RangeError otherwise); 1000 is the hard limit', () => {
    expect(key.verify(codeAt(10), { at: AT, window: 10 })).toMatchObject({ ok: true, delta: 10 });
    expect(() => key.verify(codeAt(11), { at: AT, window: 11 })).toThrow(RangeError);
    expect(() => verifyTotp(RFC_SECRET, codeAt(11), { at: AT, window: 11 })).toThrow(RangeError);
    expect(() => key.verify(codeAt(11), { at: AT, window: 11, allowWideWindow: false })).toThrow(RangeError);
    expect(key.verify(codeAt(11), { at: AT, window: 11, allowWideWindow: true })).toMatchObject({
      ok: true,
      delta: 11,
    });
    expect(key.verify(codeAt(-1000), { at: AT, window: 1000, allowWideWindow: true })).toMatchObject({ ok: true });
    expect(() => key.verify(codeAt(0), { at: AT, window: 1001, allowWideWindow: true })).toThrow(RangeError);
    expect(() => key.verify(codeAt(0), { at: AT, window: -1 })).toThrow(RangeError);
    expect(() => key.verify(codeAt(0), { at: AT, window: 1.5 })).toThrow(TypeError);
  });

  test('driftSteps recentres the window and the delta is measured from the real current step', () => {
    const options = { at: AT, driftSteps: 3 };
    for (const k of [2, 3, 4])
      expect(key.verify(codeAt(k), options)).toEqual({ ok: true, step: current + k, delta: k });
    for (const k of [0, 1, 5]) expect(key.verify(codeAt(k), options)).toEqual({ ok: false, reason: 'mismatch' });
    expect(key.verify(codeAt(-4), { at: AT, driftSteps: -4, window: 0 })).toMatchObject({ ok: true, delta: -4 });
    expect(verifyTotp(RFC_SECRET, codeAt(-5), { at: AT, driftSteps: -4 })).toMatchObject({ ok: true, delta: -5 });
  });

  test('property: a code k steps from the (drifted) centre is accepted exactly when |k| ≤ window', () => {
    fc.assert(
      fc.property(
        secretBytes(20, 20),
        fc.integer({ min: 3_600_000, max: 4_102_444_800_000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: -5, max: 5 }),
        fc.integer({ min: -5, max: 5 }),
        (secret, at, window, drift, k) => {
          const prepared = createTotp(secret, { digits: 8 });
          const centre = prepared.step(at) + drift;
          const code = prepared.generateAtStep(centre + k);
          // Exclude the (1 in 10^8) case of the same code at another step of the window.
          for (let j = -window; j <= window; j++) fc.pre(j === k || prepared.generateAtStep(centre + j) !== code);
          const result = prepared.verify(code, { at, window, driftSteps: drift });
          if (Math.abs(k) <= window) expect(result).toEqual({ ok: true, step: centre + k, delta: drift + k });
          else expect(result).toEqual({ ok: false, reason: 'mismatch' });
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('property: verify equals the naive window scan for any code, window, drift and replay guard', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: -6, max: 6 }),
        fc.option(fc.integer({ min: -8, max: 8 }), { nil: undefined }),
        fc.oneof(
          fc.integer({ min: -7, max: 7 }).map((k) => ({ k })),
          fc.nat(999_999).map((n) => ({ n })),
        ),
        (at, window, drift, afterOffset, choice) => {
          const prepared = createTotp(RFC_SECRET);
          const now = prepared.step(at);
          const centre = now + drift;
          const code =
            'k' in choice ? prepared.generateAtStep(Math.max(0, centre + choice.k)) : String(choice.n).padStart(6, '0');
          const afterStep = afterOffset === undefined ? undefined : now + afterOffset;
          const result = prepared.verify(code, {
            at,
            window,
            driftSteps: drift,
            ...(afterStep === undefined ? {} : { afterStep }),
          });
          expect(result).toEqual(modelVerify(prepared, code, now, centre - window, centre + window, afterStep ?? -1));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('T0 and the period move the steps as RFC 6238 §4.2 says', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 1, max: 86_400 }), (at, period) => {
        expect(totpStep(at, { period })).toBe(referenceStep(at, period));
        expect(totpStep(new Date(at), { period })).toBe(referenceStep(at, period));
        const t0 = Math.floor(at / 2000);
        expect(totpStep(at, { period, t0 })).toBe(Math.floor((Math.floor(at / 1000) - t0) / period));
      }),
      { numRuns: 1000 },
    );
    expect(() => totpStep(999, { t0: 1 })).toThrow(RangeError);
    expect(totp(RFC_SECRET, { at: 61_000, t0: 31 })).toBe(totp(RFC_SECRET, { at: 30_000 }));
  });
});

describe('replay guard (afterStep)', () => {
  const key = createTotp(RFC_SECRET);
  const current = key.step(AT);
  const code = key.generateAtStep(current);

  test('the step already accepted, or an older one, is refused as replayed', () => {
    expect(key.verify(code, { at: AT, afterStep: current })).toEqual({ ok: false, reason: 'replayed' });
    expect(key.verify(code, { at: AT, afterStep: current + 1 })).toEqual({ ok: false, reason: 'replayed' });
    expect(key.verify(key.generateAtStep(current - 1), { at: AT, afterStep: current - 1 })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(verifyTotp(RFC_SECRET, code, { at: AT, afterStep: current })).toEqual({ ok: false, reason: 'replayed' });
  });

  test('a later step is still accepted after one was used', () => {
    expect(key.verify(code, { at: AT, afterStep: current - 1 })).toEqual({ ok: true, step: current, delta: 0 });
    const next = key.generateAtStep(current + 1);
    expect(key.verify(next, { at: AT, afterStep: current })).toEqual({ ok: true, step: current + 1, delta: 1 });
    expect(key.verify(next, { at: AT + 30_000, afterStep: current })).toEqual({
      ok: true,
      step: current + 1,
      delta: 0,
    });
  });

  test('a wrong code stays a mismatch, not replayed', () => {
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(modelVerify(key, wrong, current, current - 1, current + 1, current + 1)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(key.verify(wrong, { at: AT, afterStep: current + 1 })).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('property: accepted exactly when the matched step is after afterStep', () => {
    fc.assert(
      fc.property(
        secretBytes(20, 20),
        fc.integer({ min: -1, max: 1 }),
        fc.integer({ min: -3, max: 3 }),
        (secret, k, a) => {
          const prepared = createTotp(secret, { digits: 8 });
          const now = prepared.step(AT);
          const typed = prepared.generateAtStep(now + k);
          for (let j = -1; j <= 1; j++) fc.pre(j === k || prepared.generateAtStep(now + j) !== typed);
          const result = prepared.verify(typed, { at: AT, afterStep: now + a });
          expect(result).toEqual(k > a ? { ok: true, step: now + k, delta: k } : { ok: false, reason: 'replayed' });
        },
      ),
      { numRuns: 500 },
    );
  });

  test('afterStep must be an integer', () => {
    expect(() => key.verify(code, { at: AT, afterStep: 1.5 })).toThrow(TypeError);
    expect(() => key.verify(code, { at: AT, afterStep: Number.NaN })).toThrow(TypeError);
  });
});

describe('two consecutive codes (verifyConsecutive)', () => {
  const key = createTotp(RFC_SECRET);
  const current = key.step(AT);
  const codeAt = (k: number) => key.generateAtStep(current + k);

  test('t, t+1 within the window is accepted and the result is the step of the second code', () => {
    for (const t of [-1, 0, 1]) {
      expect(key.verifyConsecutive(codeAt(t), codeAt(t + 1), { at: AT })).toEqual({
        ok: true,
        step: current + t + 1,
        delta: t + 1,
      });
      expect(verifyConsecutive(RFC_SECRET, codeAt(t), codeAt(t + 1), { at: AT })).toMatchObject({ ok: true });
    }
  });

  test('t, t+2 / reversed / the same code twice / outside the window are refused', () => {
    const mismatch = { ok: false, reason: 'mismatch' };
    expect(key.verifyConsecutive(codeAt(0), codeAt(2), { at: AT })).toEqual(mismatch);
    expect(key.verifyConsecutive(codeAt(1), codeAt(0), { at: AT })).toEqual(mismatch);
    expect(key.verifyConsecutive(codeAt(0), codeAt(0), { at: AT })).toEqual(mismatch);
    expect(key.verifyConsecutive(codeAt(2), codeAt(3), { at: AT })).toEqual(mismatch);
    expect(verifyConsecutive(RFC_SECRET, codeAt(1), codeAt(0), { at: AT })).toEqual(mismatch);
  });

  test('wide windows are allowed without a flag (resync), up to 1000', () => {
    expect(key.verifyConsecutive(codeAt(20), codeAt(21), { at: AT, window: 20 })).toMatchObject({
      ok: true,
      delta: 21,
    });
    expect(verifyConsecutive(RFC_SECRET, codeAt(-20), codeAt(-19), { at: AT, window: 20 })).toMatchObject({
      ok: true,
      delta: -19,
    });
    expect(() => key.verifyConsecutive(codeAt(0), codeAt(1), { at: AT, window: 1001 })).toThrow(RangeError);
  });

  test('afterStep refuses a pair whose first step was already used', () => {
    expect(key.verifyConsecutive(codeAt(0), codeAt(1), { at: AT, afterStep: current })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(key.verifyConsecutive(codeAt(0), codeAt(1), { at: AT, afterStep: current - 1 })).toMatchObject({ ok: true });
  });

  test('property: equals the naive pair scan, and t,t+1 is accepted while t,t+2, reversed and doubled are not', () => {
    fc.assert(
      fc.property(
        secretBytes(20, 20),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: -25, max: 25 }),
        fc.integer({ min: -3, max: 3 }),
        fc.option(fc.integer({ min: -25, max: 25 }), { nil: undefined }),
        (secret, window, t, drift, afterOffset) => {
          const prepared = createTotp(secret);
          const now = prepared.step(AT);
          const centre = now + drift;
          const afterStep = afterOffset === undefined ? undefined : now + afterOffset;
          const options = { at: AT, window, driftSteps: drift, ...(afterStep === undefined ? {} : { afterStep }) };
          const at = (k: number) => prepared.generateAtStep(centre + k);
          const model = (c1: string, c2: string) =>
            modelConsecutive(prepared, c1, c2, now, centre - window, centre + window, afterStep ?? -1);
          for (const [c1, c2] of [
            [at(t), at(t + 1)],
            [at(t), at(t + 2)],
            [at(t + 1), at(t)],
            [at(t), at(t)],
          ] as const) {
            expect(prepared.verifyConsecutive(c1, c2, options)).toEqual(model(c1, c2));
          }
          const inWindow = Math.abs(t) <= window && (afterStep === undefined || centre + t > afterStep);
          if (inWindow) expect(prepared.verifyConsecutive(at(t), at(t + 1), options)).toMatchObject({ ok: true });
        },
      ),
      { numRuns: 500 },
    );
  });
});
