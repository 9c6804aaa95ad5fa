/**
 * Timing-leak tests of @mfakit/core's verification (DESIGN.md "Constant time"): the real verify
 * paths must not let an attacker tell where in the window a code matched, or how close a wrong
 * code came; positive controls prove the same harness, with the same settings, does see such leaks.
 *
 * Run alone (`vitest run --config test/constant-time/vitest.config.ts`): anything running beside
 * it in the same process would only add noise. The verdicts are statistical, not wall-clock
 * assertions: nothing here depends on how fast the machine is.
 */
import { constantTimeEqual, verifyConsecutive, verifyTotp } from '@mfakit/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeResult,
  type ExperimentResult,
  LEAK_THRESHOLD,
  runExperiment,
  type TimingExperiment,
} from './dudect.js';
import { bytePairs, farMiss, type Moment, nearMiss, randomMoment, SECRET, testKey, WINDOW } from './fixtures.js';

const ROUNDS = 5;
const MEASUREMENTS = 4_000;
const WARMUP = 300;
// Calls per measurement: enough that one measurement lasts tens of microseconds.
const VERIFY_BATCH = 16;
const COMPARE_BATCH = 256;

const key = testKey();
afterAll(() => key.destroy());

function run<T>(
  name: string,
  prepare: (classBit: 0 | 1, index: number) => T,
  operation: (input: T) => unknown,
  batch: number,
): ExperimentResult {
  const experiment: TimingExperiment<T> = {
    prepare,
    operation,
    batch,
    measurements: MEASUREMENTS,
    warmup: WARMUP,
    rounds: ROUNDS,
  };
  const result = runExperiment(experiment);
  console.log(describeResult(name, result));
  return result;
}

function expectConstantTime(name: string, result: ExperimentResult): void {
  expect(
    result.leakyRounds,
    `${describeResult(name, result)}: most rounds must stay at |t| ≤ ${LEAK_THRESHOLD}`,
  ).toBeLessThanOrEqual(Math.floor(ROUNDS / 2));
}

function expectLeak(name: string, result: ExperimentResult, slowerClass: 0 | 1): void {
  expect(result.leakyRounds, `${describeResult(name, result)}: most rounds must detect the leak`).toBeGreaterThan(
    ROUNDS / 2,
  );
  // t > 0 means class 0 is slower; the detected leak must point the right way.
  const rightWay = result.rounds.filter((round) => (slowerClass === 0 ? round.t > 0 : round.t < 0)).length;
  expect(rightWay, `${describeResult(name, result)}: class ${slowerClass} must be the slower one`).toBeGreaterThan(
    ROUNDS / 2,
  );
}

interface VerifyInput {
  readonly code: string;
  readonly options: { readonly at: number; readonly window: number };
}

function verifyInput(moment: Moment, code: string): VerifyInput {
  return { code, options: { at: moment.at, window: WINDOW } };
}

/** Class 0: the code of step −1 (first candidate); class 1: of step +1 (last candidate). */
function matchPosition(classBit: 0 | 1): VerifyInput {
  const moment = randomMoment(key);
  return verifyInput(moment, moment.codes[classBit === 0 ? 0 : 2]);
}

/** Class 0: the right code with its last digit wrong; class 1: a code with every digit wrong. */
function missDistance(classBit: 0 | 1): VerifyInput {
  const moment = randomMoment(key);
  return verifyInput(moment, (classBit === 0 ? nearMiss : farMiss)(moment.codes[1], moment.codes));
}

interface PairInput extends VerifyInput {
  readonly code2: string;
}

/** Class 0: codes of steps −1, 0 (the window's first pair); class 1: of steps +1, +2 (its last). */
function pairPosition(classBit: 0 | 1): PairInput {
  const moment = randomMoment(key);
  const first = classBit === 0 ? 0 : 2;
  return { ...verifyInput(moment, moment.codes[first]), code2: moment.codes[first + 1] as string };
}

/** Class 0: 32-byte arrays differing only in the last byte; class 1: only in the first. */
function prefixOrFirstByte(): (classBit: 0 | 1, index: number) => [Uint8Array, Uint8Array] {
  const pairs = bytePairs(WARMUP + MEASUREMENTS);
  return (classBit, index) => pairs(classBit === 0 ? 31 : 0, index);
}

/** Test-only verifier WITH the leak the real one avoids: it returns at the first matching step. */
function earlyExitVerify(code: string, at: number): number {
  const step = key.step(at);
  for (let s = step - WINDOW; s <= step + WINDOW; s++) if (key.generateAtStep(s) === code) return s;
  return -1;
}

/** Test-only byte comparison WITH the leak constantTimeEqual avoids: it stops at the first difference. */
function earlyExitEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A few inputs of each class, to check they are what the class says before timing them. */
function samples<T>(prepare: (classBit: 0 | 1, index: number) => T, classBit: 0 | 1): T[] {
  return Array.from({ length: 50 }, (_, i) => prepare(classBit, i));
}

describe('controls: the harness sees a leak, and only a leak', () => {
  it('null control: the same kind of input in both classes stays below the threshold', () => {
    // Guards against a bias of the harness itself (schedule, cropping) that would flag anything.
    const name = 'null control, same class twice';
    expectConstantTime(
      name,
      run(
        name,
        () => matchPosition(0),
        (input) => key.verify(input.code, input.options),
        VERIFY_BATCH,
      ),
    );
  });

  it('early-exit verifier: first vs last candidate of a ±1 window', () => {
    expect(samples(matchPosition, 0).every((input) => earlyExitVerify(input.code, input.options.at) >= 0)).toBe(true);
    const name = 'control: early-exit verify, step -1 vs +1';
    // One HMAC for the first candidate, three for the last: class 1 is slower.
    expectLeak(
      name,
      run(name, matchPosition, (input) => earlyExitVerify(input.code, input.options.at), VERIFY_BATCH),
      1,
    );
  });

  it('early-exit byte compare: equal prefix vs differing first byte (32 bytes)', () => {
    const name = 'control: early-exit compare, last vs first byte differs';
    expectLeak(
      name,
      run(name, prefixOrFirstByte(), ([a, b]) => earlyExitEqual(a, b), COMPARE_BATCH),
      0,
    );
  });
});

describe('the real verify paths are constant time (|t| ≤ 10 by majority)', () => {
  it('prepared verify: match at step -1 vs step +1', () => {
    for (const input of samples(matchPosition, 0))
      expect(key.verify(input.code, input.options)).toMatchObject({ ok: true, delta: -1 });
    for (const input of samples(matchPosition, 1))
      expect(key.verify(input.code, input.options)).toMatchObject({ ok: true, delta: 1 });
    const name = 'prepared verify, match step -1 vs +1';
    expectConstantTime(
      name,
      run(name, matchPosition, (input) => key.verify(input.code, input.options), VERIFY_BATCH),
    );
  });

  it('one-off verifyTotp: match at step -1 vs step +1', () => {
    for (const input of samples(matchPosition, 1))
      expect(verifyTotp(SECRET, input.code, input.options)).toMatchObject({ delta: 1 });
    const name = 'verifyTotp, match step -1 vs +1';
    expectConstantTime(
      name,
      run(name, matchPosition, (input) => verifyTotp(SECRET, input.code, input.options), VERIFY_BATCH),
    );
  });

  it('prepared verify: near miss (first 5 digits right) vs far miss (no digit right)', () => {
    for (const classBit of [0, 1] as const) {
      for (const input of samples(missDistance, classBit)) {
        expect(key.verify(input.code, input.options)).toEqual({ ok: false, reason: 'mismatch' });
        const right = key.generate(input.options.at);
        const shared = [...input.code].filter((digit, i) => digit === right[i]).length;
        expect(shared).toBe(classBit === 0 ? 5 : 0);
      }
    }
    const name = 'prepared verify, near miss vs far miss';
    expectConstantTime(
      name,
      run(name, missDistance, (input) => key.verify(input.code, input.options), VERIFY_BATCH),
    );
  });

  it('one-off verifyTotp: near miss vs far miss', () => {
    const name = 'verifyTotp, near miss vs far miss';
    expectConstantTime(
      name,
      run(name, missDistance, (input) => verifyTotp(SECRET, input.code, input.options), VERIFY_BATCH),
    );
  });

  it('prepared verifyConsecutive: first pair vs last pair of the window', () => {
    for (const p of samples(pairPosition, 0))
      expect(key.verifyConsecutive(p.code, p.code2, p.options)).toMatchObject({ delta: 0 });
    for (const p of samples(pairPosition, 1))
      expect(key.verifyConsecutive(p.code, p.code2, p.options)).toMatchObject({ delta: 2 });
    const name = 'prepared verifyConsecutive, pair at -1 vs +1';
    expectConstantTime(
      name,
      run(name, pairPosition, (p) => key.verifyConsecutive(p.code, p.code2, p.options), VERIFY_BATCH),
    );
  });

  it('one-off verifyConsecutive: first pair vs last pair of the window', () => {
    for (const p of samples(pairPosition, 1))
      expect(verifyConsecutive(SECRET, p.code, p.code2, p.options)).toMatchObject({ delta: 2 });
    const name = 'verifyConsecutive, pair at -1 vs +1';
    expectConstantTime(
      name,
      run(name, pairPosition, (p) => verifyConsecutive(SECRET, p.code, p.code2, p.options), VERIFY_BATCH),
    );
  });

  it('constantTimeEqual: equal prefix vs differing first byte (32 bytes)', () => {
    const prepare = prefixOrFirstByte();
    for (const classBit of [0, 1] as const) {
      for (const [a, b] of samples(prepare, classBit)) {
        expect(constantTimeEqual(a, b)).toBe(false);
        expect(a.findIndex((byte, i) => byte !== b[i])).toBe(classBit === 0 ? 31 : 0);
      }
    }
    const name = 'constantTimeEqual, last vs first byte differs';
    expectConstantTime(
      name,
      run(name, prepare, ([a, b]) => constantTimeEqual(a, b), COMPARE_BATCH),
    );
  });
});
