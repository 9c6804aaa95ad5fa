/**
 * Timing-leak tests of @mfakit/core's Steam Guard verification: the same window scan as TOTP
 * with Steam's encoding, so it must not tell where in the window a code matched, or how close a
 * wrong code came (verify-timing.test.ts has the controls that prove the harness sees leaks).
 */

import { randomInt } from 'node:crypto';
import { createSteamGuard, STEAM_GUARD_ALPHABET, type SteamGuardKey } from '@mfakit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { describeResult, type ExperimentResult, LEAK_THRESHOLD, runExperiment } from './dudect.js';
import { SECRET, WINDOW } from './fixtures.js';

const ROUNDS = 5;
const MEASUREMENTS = 4_000;
const WARMUP = 300;
const VERIFY_BATCH = 16;

const key: SteamGuardKey = createSteamGuard(SECRET);
afterAll(() => key.destroy());

interface Input {
  readonly code: string;
  readonly options: { readonly at: number; readonly window: number };
}

/** A random instant whose codes for steps −1..+1 are pairwise distinct. */
function moment(): { at: number; codes: [string, string, string] } {
  for (;;) {
    const at = 1_000_000_000_000 + randomInt(0, 1_000_000_000) * 1000 + randomInt(0, 1000);
    const step = key.step(at);
    const codes = [step - 1, step, step + 1].map((s) => key.generateAtStep(s)) as [string, string, string];
    if (new Set(codes).size === 3) return { at, codes };
  }
}

/** `code` with the character at `positions` moved along the alphabet, matching none of `avoid`. */
function changed(code: string, positions: readonly number[], avoid: readonly string[]): string {
  for (let shift = 1; shift < STEAM_GUARD_ALPHABET.length; shift++) {
    const candidate = [...code]
      .map((character, i) =>
        positions.includes(i)
          ? (STEAM_GUARD_ALPHABET[(STEAM_GUARD_ALPHABET.indexOf(character) + shift) % STEAM_GUARD_ALPHABET.length] ??
            '')
          : character,
      )
      .join('');
    if (!avoid.includes(candidate)) return candidate;
  }
  throw new Error('no changed code available');
}

/** Class 0: the code of step −1 (first candidate); class 1: of step +1 (last candidate). */
function matchPosition(classBit: 0 | 1): Input {
  const { at, codes } = moment();
  return { code: codes[classBit === 0 ? 0 : 2], options: { at, window: WINDOW } };
}

/** Class 0: the right code with its last character wrong; class 1: every character wrong. */
function missDistance(classBit: 0 | 1): Input {
  const { at, codes } = moment();
  const positions = classBit === 0 ? [4] : [0, 1, 2, 3, 4];
  return { code: changed(codes[1], positions, codes), options: { at, window: WINDOW } };
}

function run(name: string, prepare: (classBit: 0 | 1) => Input): ExperimentResult {
  const result = runExperiment({
    prepare,
    operation: (input: Input) => key.verify(input.code, input.options),
    batch: VERIFY_BATCH,
    measurements: MEASUREMENTS,
    warmup: WARMUP,
    rounds: ROUNDS,
  });
  console.log(describeResult(name, result));
  expect(
    result.leakyRounds,
    `${describeResult(name, result)}: most rounds must stay at |t| ≤ ${LEAK_THRESHOLD}`,
  ).toBeLessThanOrEqual(Math.floor(ROUNDS / 2));
  return result;
}

describe('Steam Guard verify is constant time (|t| ≤ 10 by majority)', () => {
  it('match at step -1 vs step +1', () => {
    for (const classBit of [0, 1] as const) {
      const input = matchPosition(classBit);
      expect(key.verify(input.code, input.options)).toMatchObject({ ok: true, delta: classBit === 0 ? -1 : 1 });
    }
    run('Steam Guard verify, match step -1 vs +1', matchPosition);
  });

  it('near miss (first 4 characters right) vs far miss (none right)', () => {
    for (const classBit of [0, 1] as const) {
      const input = missDistance(classBit);
      expect(key.verify(input.code, input.options)).toEqual({ ok: false, reason: 'mismatch' });
      const right = key.generate(input.options.at);
      expect([...input.code].filter((character, i) => character === right[i]).length).toBe(classBit === 0 ? 4 : 0);
    }
    run('Steam Guard verify, near miss vs far miss', missDistance);
  });
});
