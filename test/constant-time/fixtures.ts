/**
 * @module
 * Inputs for the timing experiments: a fixed test key, fresh random instants whose codes around
 * the ±1 window are distinct, wrong codes near to or far from the right one, and byte-array pairs.
 * The codes never leave the test process (the log prints only t values).
 */
import { randomInt } from 'node:crypto';
import { createTotp, type TotpKey } from '@mfakit/core';

/** RFC 6238 Appendix B's SHA-1 seed: a public test value, not a secret. */
export const SECRET = new TextEncoder().encode('12345678901234567890');

/** The window every experiment verifies with: the default ±1 step. */
export const WINDOW = 1;

export interface Moment {
  readonly at: number;
  readonly step: number;
  /** Codes of steps step−1, step, step+1, step+2 (pairwise distinct). */
  readonly codes: readonly [string, string, string, string];
}

export function testKey(): TotpKey {
  return createTotp(SECRET);
}

/** A random instant (2001–2033) whose codes for steps −1..+2 are pairwise distinct. */
export function randomMoment(key: TotpKey): Moment {
  for (;;) {
    const at = 1_000_000_000_000 + randomInt(0, 1_000_000_000) * 1000 + randomInt(0, 1000);
    const step = key.step(at);
    const codes = [step - 1, step, step + 1, step + 2].map((s) => key.generateAtStep(s)) as [
      string,
      string,
      string,
      string,
    ];
    if (new Set(codes).size === codes.length) return { at, step, codes };
  }
}

/** `code` with its last digit changed (sharing the other digits), matching none of `avoid`. */
export function nearMiss(code: string, avoid: readonly string[]): string {
  for (let shift = 1; shift < 10; shift++) {
    const candidate = code.slice(0, -1) + String((Number(code.at(-1)) + shift) % 10);
    if (!avoid.includes(candidate)) return candidate;
  }
  throw new Error('no near miss available');
}

/** A code differing from `code` in every digit, matching none of `avoid`. */
export function farMiss(code: string, avoid: readonly string[]): string {
  for (let shift = 1; shift < 10; shift++) {
    const candidate = [...code].map((digit) => String((Number(digit) + shift) % 10)).join('');
    if (!avoid.includes(candidate)) return candidate;
  }
  throw new Error('no far miss available');
}

export const COMPARED_BYTES = 32;

/**
 * Byte-array pairs for measurement `index`, at the index's own 64-byte slot of one shared buffer
 * (so their address does not depend on their class): random bytes, and a copy differing only at
 * `differAt`.
 */
export function bytePairs(measurements: number): (differAt: number, index: number) => [Uint8Array, Uint8Array] {
  const buffer = new Uint8Array(measurements * 2 * COMPARED_BYTES);
  return (differAt, index) => {
    const offset = index * 2 * COMPARED_BYTES;
    const a = buffer.subarray(offset, offset + COMPARED_BYTES);
    const b = buffer.subarray(offset + COMPARED_BYTES, offset + 2 * COMPARED_BYTES);
    crypto.getRandomValues(a);
    b.set(a);
    b[differAt] = (b[differAt] as number) ^ randomInt(1, 256);
    return [a, b];
  };
}
