import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeSignCount } from '../src/security-key-ceremony.js';

const MAX = 2 ** 32 - 1;
const counter = fc.integer({ min: 0, max: MAX });

describe('judgeSignCount (WebAuthn §6.1.1 against the counter at challenge time)', () => {
  it('names each case', () => {
    // judgeSignCount(signCount, atChallenge, stored)
    expect(judgeSignCount(0, 0, 0)).toBe('counterless');
    expect(judgeSignCount(0, 0, 3)).toBe('clone'); // 0 after a counter was stored
    expect(judgeSignCount(0, 3, 3)).toBe('clone');
    expect(judgeSignCount(4, 3, 3)).toBe('advance');
    expect(judgeSignCount(3, 3, 3)).toBe('clone'); // did not grow since the challenge
    expect(judgeSignCount(2, 3, 5)).toBe('clone');
    expect(judgeSignCount(4, 3, 5)).toBe('concurrent'); // a later assertion of the same key was stored first
    expect(judgeSignCount(5, 3, 5)).toBe('clone'); // the same counter as an accepted assertion
    expect(judgeSignCount(6, 3, 5)).toBe('advance');
    expect(judgeSignCount(MAX, 0, MAX - 1)).toBe('advance');
  });

  it('never flags the genuine key: its counter is above every counter it produced before the challenge', () => {
    fc.assert(
      fc.property(counter, counter, fc.integer({ min: 1, max: 1000 }), (a, b, step) => {
        const atChallenge = Math.min(a, b);
        const stored = Math.max(a, b);
        const signCount = atChallenge + step;
        fc.pre(signCount !== stored);
        expect(judgeSignCount(signCount, atChallenge, stored)).not.toBe('clone');
      }),
    );
  });

  it('advances exactly when the counter is above the stored one (never moves it back)', () => {
    fc.assert(
      fc.property(counter, counter, counter, (signCount, a, b) => {
        const atChallenge = Math.min(a, b);
        const stored = Math.max(a, b);
        expect(judgeSignCount(signCount, atChallenge, stored) === 'advance').toBe(signCount > stored && signCount > 0);
      }),
    );
  });

  it('flags every counter not above the one at challenge time, unless both are 0', () => {
    fc.assert(
      fc.property(counter, counter, counter, (x, y, z) => {
        const [signCount, atChallenge, stored] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        const expected = signCount === 0 && stored === 0 ? 'counterless' : 'clone';
        expect(judgeSignCount(signCount, atChallenge, stored)).toBe(expected);
      }),
    );
  });
});
