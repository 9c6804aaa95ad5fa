/**
 * @module
 * Constant-time byte equality: the time depends on the lengths (public) only, never on where
 * the inputs first differ.
 */
import { isBytes } from './bytes.js';

/** 1 if `a[0..length)` equals `b[0..length)`, else 0; always reads every byte. */
export function equalBytesMask(a: Uint8Array, b: Uint8Array, length: number): number {
  let difference = 0;
  for (let i = 0; i < length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  // difference is 0..255: (difference - 1) >>> 31 is 1 exactly when difference is 0.
  return ((difference - 1) >>> 31) & 1;
}

/**
 * Compares two byte arrays in time independent of their contents. Arrays of different lengths
 * are unequal (lengths are not treated as secret).
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (!isBytes(a) || !isBytes(b)) {
    throw new TypeError('constantTimeEqual expects two Uint8Arrays');
  }
  if (a.length !== b.length) return false;
  return equalBytesMask(a, b, a.length) === 1;
}

/**
 * `constantTimeEqual` as a number: 1 if the arrays are equal, else 0, in time independent of their
 * contents. For scans that combine several comparisons without branching on any of them (select
 * the matching entry with masks: `mask = -equal`, `value = (entry & mask) | (value & ~mask)`).
 */
export function constantTimeEqualMask(a: Uint8Array, b: Uint8Array): 0 | 1 {
  if (!isBytes(a) || !isBytes(b)) {
    throw new TypeError('constantTimeEqualMask expects two Uint8Arrays');
  }
  if (a.length !== b.length) return 0;
  return equalBytesMask(a, b, a.length) as 0 | 1;
}
