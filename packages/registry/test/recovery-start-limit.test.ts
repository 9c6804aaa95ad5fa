import { type RecoveryStartLimit, recoveryStartRetryAt } from '@mfakit/registry';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const limit = (maxStarts: number, windowMs: number, minIntervalMs: number): RecoveryStartLimit => ({
  maxStarts,
  windowMs,
  minIntervalMs,
});

describe('recoveryStartRetryAt', () => {
  it('allows the first start and starts after the interval and outside the window', () => {
    expect(recoveryStartRetryAt([], 1000, limit(1, 100, 10))).toBeUndefined();
    expect(recoveryStartRetryAt([995], 1000, limit(5, 100, 10))).toBe(1005);
    expect(recoveryStartRetryAt([990], 1000, limit(5, 100, 10))).toBeUndefined();
    expect(recoveryStartRetryAt([950, 960], 1000, limit(2, 100, 0))).toBe(1050);
    expect(recoveryStartRetryAt([900, 960], 1000, limit(2, 100, 0))).toBeUndefined(); // 900 has left
    expect(recoveryStartRetryAt([960, 950, 970], 1000, limit(2, 100, 0))).toBe(1060); // unsorted input
  });

  it('gives the first time a start is allowed (property, against a brute-force scan)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        (starts, at, maxStarts, windowMs, interval) => {
          const rules = limit(maxStarts, windowMs, Math.min(interval, windowMs));
          const allowed = (time: number) => {
            const recent = starts.filter((start) => start > time - rules.windowMs);
            const latest = Math.max(...recent);
            return recent.length < rules.maxStarts && (recent.length === 0 || time >= latest + rules.minIntervalMs);
          };
          let first = at;
          while (!allowed(first)) first++;
          expect(recoveryStartRetryAt(starts, at, rules)).toBe(first === at ? undefined : first);
        },
      ),
      { numRuns: 500 },
    );
  });
});
