import * as validate from '@mfakit/core/validate';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { hashOneTimeValue, matchRecoveryCode } from '../src/recovery-codes.js';

// Spy on the constant-time comparison the scan uses, to count how many codes it looked at.
vi.mock('@mfakit/core/validate', async (importOriginal) => {
  const actual = await importOriginal<typeof validate>();
  return { ...actual, constantTimeEqualMask: vi.fn(actual.constantTimeEqualMask) };
});

const salt = new Uint8Array(16).fill(7);
const hash = (code: string) => hashOneTimeValue(salt, 'recovery-code', code);
const set = (used: boolean[]) =>
  used.map((isUsed, index) => ({ index, hash: hash(`CODE${index}`), usedAt: isUsed ? 1000 + index : null }));

describe('matchRecoveryCode', () => {
  it('finds used and unused codes and tells them apart; -1 for any other code', () => {
    const codes = set([false, true, false, true]);
    expect(matchRecoveryCode(hash('CODE0'), codes)).toEqual({ index: 0, used: false });
    expect(matchRecoveryCode(hash('CODE1'), codes)).toEqual({ index: 1, used: true });
    expect(matchRecoveryCode(hash('CODE3'), codes)).toEqual({ index: 3, used: true });
    expect(matchRecoveryCode(hash('CODE9'), codes)).toEqual({ index: -1, used: false });
    expect(matchRecoveryCode(hash('CODE0'), [])).toEqual({ index: -1, used: false });
  });

  it('compares against every code, used or not, wherever (and whether) the match is', () => {
    const compare = vi.mocked(validate.constantTimeEqualMask);
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.boolean(),
        (used, pick, hit) => {
          const codes = set(used);
          const target = pick % used.length;
          compare.mockClear();
          const match = matchRecoveryCode(hash(hit ? `CODE${target}` : 'OTHER'), codes);
          expect(compare).toHaveBeenCalledTimes(codes.length);
          expect(match).toEqual(hit ? { index: target, used: used[target] } : { index: -1, used: false });
        },
      ),
    );
  });
});
