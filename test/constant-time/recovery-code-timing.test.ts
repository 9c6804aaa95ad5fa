/**
 * Timing-leak test of @mfakit/registry's recovery-code match (packages/registry/src/recovery-codes.ts):
 * the scan compares the typed code's hash with every stored hash, used and unused, with no early
 * exit, so its time must tell neither whether nor where the code matched, nor whether the matched
 * code was already used. Same harness and settings as verify-timing.test.ts (run alone).
 */
import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from '@mfakit/core';
import { matchRecoveryCode } from '@mfakit/registry/testing';
import { describe, expect, it } from 'vitest';
import { describeResult, LEAK_THRESHOLD, runExperiment } from './dudect.js';

const ROUNDS = 5;
const MEASUREMENTS = 4_000;
const WARMUP = 300;
// Calls per measurement: a 10-code scan is ≈ 1 µs, so a measurement lasts tens of microseconds.
const BATCH = 32;
const CODES = 10;

type Stored = { index: number; hash: Uint8Array; usedAt: number | null };

/** A set of 10 stored hashes, the first `used` of them used. */
function storedSet(used: number): Stored[] {
  return Array.from({ length: CODES }, (_, index) => ({
    index,
    hash: new Uint8Array(randomBytes(32)),
    usedAt: index < used ? 1_700_000_000_000 : null,
  }));
}

interface Input {
  candidate: Uint8Array;
  codes: Stored[];
}

function measure(
  name: string,
  prepare: (classBit: 0 | 1) => Input,
  operation: (input: Input) => unknown = (input) => matchRecoveryCode(input.candidate, input.codes),
) {
  const result = runExperiment({
    prepare,
    operation,
    batch: BATCH,
    measurements: MEASUREMENTS,
    warmup: WARMUP,
    rounds: ROUNDS,
  });
  console.log(describeResult(name, result));
  return result;
}

function expectConstantTime(name: string, result: ReturnType<typeof runExperiment>): void {
  expect(
    result.leakyRounds,
    `${describeResult(name, result)}: most rounds must stay at |t| ≤ ${LEAK_THRESHOLD}`,
  ).toBeLessThanOrEqual(Math.floor(ROUNDS / 2));
}

/**
 * Test-only scan WITH the leak matchRecoveryCode avoids: each comparison is constant-time, but it
 * stops at the first matching hash (the usual mistake).
 */
function earlyExitMatch(candidate: Uint8Array, codes: readonly Stored[]): number {
  for (const entry of codes) if (constantTimeEqual(candidate, entry.hash)) return entry.index;
  return -1;
}

/** Class 0: the typed code is the set's first; class 1: it is none of them. */
function firstOrNone(classBit: 0 | 1): Input {
  const codes = storedSet(0);
  const candidate = classBit === 0 ? (codes[0] as Stored).hash.slice() : new Uint8Array(randomBytes(32));
  return { candidate, codes };
}

describe('matchRecoveryCode', () => {
  it('control: a scan that stops at the first match is seen to leak at this size', () => {
    const name = 'control: early-exit scan, first of the set vs none';
    const result = measure(name, firstOrNone, (input) => earlyExitMatch(input.candidate, input.codes));
    expect(result.leakyRounds, `${describeResult(name, result)}: most rounds must detect the leak`).toBeGreaterThan(
      ROUNDS / 2,
    );
  });

  it('takes as long for the first code of the set as for no code at all', () => {
    expect(matchRecoveryCode(firstOrNone(0).candidate, storedSet(0)).index).toBe(-1);
    const sample = firstOrNone(0);
    expect(matchRecoveryCode(sample.candidate, sample.codes).index).toBe(0);
    const name = 'recovery code: first of the set vs none';
    expectConstantTime(name, measure(name, firstOrNone));
  });

  it('takes as long for a used code as for an unused one at the same place', () => {
    const usedOrUnused = (classBit: 0 | 1): Input => {
      const codes = storedSet(classBit === 0 ? CODES : 0);
      return { candidate: (codes[4] as Stored).hash.slice(), codes };
    };
    for (const classBit of [0, 1] as const) {
      const sample = usedOrUnused(classBit);
      expect(matchRecoveryCode(sample.candidate, sample.codes)).toEqual({ index: 4, used: classBit === 0 });
    }
    const name = 'recovery code: used vs unused match';
    expectConstantTime(name, measure(name, usedOrUnused));
  });
});
