import { normalizeRecoveryCode, RECOVERY_CODE_BITS } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';
import { generateRecoveryCode, hashOneTimeValue, matchRecoveryCode, randomDigits } from '../src/recovery-codes.js';

describe('recovery code format', () => {
  it('is 16 Crockford base32 characters (80 bits) in four groups', () => {
    expect(RECOVERY_CODE_BITS).toBe(80);
    const codes = Array.from({ length: 200 }, generateRecoveryCode);
    for (const code of codes)
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(new Set(codes).size).toBe(200);
    // Every alphabet character shows up: the encoding uses all 5 bits.
    expect(new Set(codes.join('').replaceAll('-', '')).size).toBe(32);
  });

  it('normalises case, spacing and look-alike letters, and rejects anything else', () => {
    expect(normalizeRecoveryCode('abcd efgh-jkmn pqrs')).toBe('ABCDEFGHJKMNPQRS');
    expect(normalizeRecoveryCode('OoIl-0011-2222-3333')).toBe('0011001122223333');
    expect(normalizeRecoveryCode('ABCD-EFGH-JKMN-PQR')).toBeUndefined();
    expect(normalizeRecoveryCode('ABCD-EFGH-JKMN-PQRST')).toBeUndefined();
    expect(normalizeRecoveryCode('ABCD-EFGH-JKMN-PQRU')).toBeUndefined();
    expect(normalizeRecoveryCode('ABCD_EFGH_JKMN_PQRS')).toBeUndefined();
    expect(normalizeRecoveryCode(`${'A'.repeat(65)}`)).toBeUndefined();
  });
});

describe('recovery code hashing', () => {
  it('depends on salt and purpose', () => {
    const salt1 = new Uint8Array(16).fill(1);
    const salt2 = new Uint8Array(16).fill(2);
    const hash = hashOneTimeValue(salt1, 'recovery-code', 'ABCDEFGHJKMNPQRS');
    expect(hash).toHaveLength(32);
    expect(hashOneTimeValue(salt1, 'recovery-code', 'ABCDEFGHJKMNPQRS')).toEqual(hash);
    expect(hashOneTimeValue(salt2, 'recovery-code', 'ABCDEFGHJKMNPQRS')).not.toEqual(hash);
    expect(hashOneTimeValue(salt1, 'recovery-email', 'ABCDEFGHJKMNPQRS')).not.toEqual(hash);
  });

  it('finds the matching index among all hashes', () => {
    const salt = new Uint8Array(16);
    const entries = ['A', 'B', 'C'].map((letter, index) => ({
      index: index + 10,
      hash: hashOneTimeValue(salt, 'p', letter),
    }));
    expect(matchRecoveryCode(hashOneTimeValue(salt, 'p', 'B'), entries).index).toBe(11);
    expect(matchRecoveryCode(hashOneTimeValue(salt, 'p', 'D'), entries).index).toBe(-1);
    expect(matchRecoveryCode(hashOneTimeValue(salt, 'p', 'A'), []).index).toBe(-1);
  });

  it('draws uniform decimal digits', () => {
    const digits = randomDigits(20_000);
    expect(digits).toMatch(/^[0-9]{20000}$/);
    for (let d = 0; d <= 9; d++) {
      const count = digits.split(String(d)).length - 1;
      expect(count).toBeGreaterThan(1700);
      expect(count).toBeLessThan(2300);
    }
  });
});
