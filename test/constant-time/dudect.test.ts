/**
 * The statistics of the dudect harness, on synthetic data with known answers: Welch's t, the
 * percentile crop, and why cropping matters (one-sided outliers hide a shift from the plain test).
 */
import { describe, expect, it } from 'vitest';
import { CROP_PERCENTILES, maxCroppedT, percentile, runExperiment, welchT } from './dudect.js';

/** mulberry32: a small seeded generator so the synthetic data is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Timings around `base` with uniform jitter and a share of huge one-sided outliers (preemption). */
function noisyTimings(random: () => number, count: number, shiftOfClass1: number, outlierShare: number) {
  const values = new Float64Array(count);
  const classOf = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const c = random() < 0.5 ? 0 : 1;
    classOf[i] = c;
    const outlier = random() < outlierShare ? 1_000_000 * (1 + random()) : 0;
    values[i] = 1000 + 20 * random() + c * shiftOfClass1 + outlier;
  }
  return { values, classOf };
}

describe('welchT', () => {
  it('matches a hand-computed value', () => {
    // Class 0: 1,2,3,4 (mean 2.5, variance 5/3); class 1: 3,4,5,6 (mean 4.5, variance 5/3).
    // t = (2.5 − 4.5) / sqrt(5/12 + 5/12) = −2 / sqrt(10/12).
    const values = Float64Array.of(1, 3, 2, 4, 3, 5, 4, 6);
    const classOf = Uint8Array.of(0, 1, 0, 1, 0, 1, 0, 1);
    const result = welchT(values, classOf);
    expect(result.n0).toBe(4);
    expect(result.n1).toBe(4);
    expect(result.t).toBeCloseTo(-2 / Math.sqrt(10 / 12), 12);
  });

  it('handles unequal sizes and variances (Welch, not Student)', () => {
    // Class 0: 10, 12 (mean 11, variance 2); class 1: 1, 2, 3, 4, 5 (mean 3, variance 2.5).
    const values = Float64Array.of(10, 12, 1, 2, 3, 4, 5);
    const classOf = Uint8Array.of(0, 0, 1, 1, 1, 1, 1);
    expect(welchT(values, classOf).t).toBeCloseTo(8 / Math.sqrt(2 / 2 + 2.5 / 5), 12);
  });

  it('leaves out values at or above the crop limit', () => {
    const values = Float64Array.of(1, 3, 2, 4, 3, 5, 4, 6, 1000, 2000);
    const classOf = Uint8Array.of(0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
    expect(welchT(values, classOf, 1000)).toEqual(welchT(values.subarray(0, 8), classOf.subarray(0, 8)));
  });

  it('is 0 when a class has fewer than two samples', () => {
    expect(welchT(Float64Array.of(1, 2, 3), Uint8Array.of(0, 0, 1)).t).toBe(0);
  });
});

describe('percentile crops', () => {
  it('uses nearest rank', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.999)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
  });

  it('ladders from 50 % up towards 100 %', () => {
    expect(CROP_PERCENTILES[0]).toBe(0.5);
    expect(CROP_PERCENTILES.every((p, i) => i === 0 || p > (CROP_PERCENTILES[i - 1] as number))).toBe(true);
    expect(CROP_PERCENTILES.at(-1)).toBeLessThan(1);
  });

  it('finds a small shift that one-sided outliers hide from the uncropped test', () => {
    const { values, classOf } = noisyTimings(seeded(1), 4000, 5, 0.05);
    expect(Math.abs(welchT(values, classOf).t)).toBeLessThan(10);
    const cropped = maxCroppedT(values, classOf);
    expect(cropped.t).toBeLessThan(-10);
    expect(cropped.crop).toBeLessThan(1);
  });

  it('stays small when both classes have the same distribution', () => {
    for (const seed of [2, 3, 4, 5, 6]) {
      const { values, classOf } = noisyTimings(seeded(seed), 4000, 0, 0.05);
      expect(Math.abs(maxCroppedT(values, classOf).t)).toBeLessThan(5);
    }
  });
});

describe('runExperiment', () => {
  const valid = {
    prepare: (classBit: 0 | 1) => classBit + 1,
    operation: (n: number) => n + 1,
    batch: 1,
    measurements: 10,
    warmup: 0,
    rounds: 1,
  };

  it('needs an odd number of rounds so the vote cannot tie', () => {
    expect(() => runExperiment({ ...valid, rounds: 2 })).toThrow(RangeError);
  });

  it('needs positive counts', () => {
    expect(() => runExperiment({ ...valid, batch: 0 })).toThrow(RangeError);
    expect(() => runExperiment({ ...valid, measurements: 1.5 })).toThrow(RangeError);
  });

  it('prepares every input of a round before timing, with both classes present', () => {
    const seen: [number, number][] = [];
    runExperiment({
      ...valid,
      measurements: 200,
      warmup: 10,
      prepare: (classBit, index) => seen.push([classBit, index]),
    });
    expect(seen.map(([, index]) => index)).toEqual(Array.from({ length: 210 }, (_, i) => i));
    expect(new Set(seen.map(([classBit]) => classBit))).toEqual(new Set([0, 1]));
  });

  it('returns one result per round', () => {
    expect(runExperiment({ ...valid, rounds: 3 }).rounds).toHaveLength(3);
  });
});
