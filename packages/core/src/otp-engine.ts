/**
 * @module
 * The shared machinery of HOTP and TOTP keys: turn a counter into a code (RFC 4226 §5.3–5.4) and
 * scan a window of counters for a typed code in constant time.
 *
 * Constant time: a scan computes every candidate in its range, compares each with a
 * constant-time byte equality, and selects the match with arithmetic instead of an early exit,
 * so its duration does not depend on whether, where, or how closely the code matched.
 */
import { equalBytesMask } from './constant-time.js';
import { type CounterMac, createCounterMac } from './counter-mac.js';
import type { HashAlgorithm } from './hash-algorithms.js';

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];
const TWO_TO_32 = 0x100000000;

/** Result of a window scan: the first eligible matching counter, or why there was none. */
export type ScanOutcome = { kind: 'match'; counter: number } | { kind: 'replayed' } | { kind: 'mismatch' };

export class OtpEngine {
  readonly #mac: CounterMac;
  readonly #modulus: number;
  readonly #candidate: Uint8Array;
  readonly digits: number;

  constructor(algorithm: HashAlgorithm, secret: Uint8Array, digits: number) {
    this.#mac = createCounterMac(algorithm, secret);
    this.digits = digits;
    this.#modulus = POWERS_OF_TEN[digits] as number;
    this.#candidate = new Uint8Array(digits);
  }

  /** RFC 4226 §5.3 step 3: Snum mod 10^Digit, for a counter given as two 32-bit words. */
  value(counterHigh: number, counterLow: number): number {
    return this.#mac.truncated(counterHigh, counterLow) % this.#modulus;
  }

  /** The code for a counter that is a safe integer. */
  valueAt(counter: number): number {
    return this.value(Math.floor(counter / TWO_TO_32), counter | 0);
  }

  format(value: number): string {
    return String(value).padStart(this.digits, '0');
  }

  /** 1 if the code at `counter` equals `input` (ASCII digits), else 0, in constant time. */
  #matches(counter: number, input: Uint8Array): number {
    let value = this.valueAt(counter);
    const candidate = this.#candidate;
    for (let i = this.digits - 1; i >= 0; i--) {
      candidate[i] = 0x30 + (value % 10);
      value = Math.floor(value / 10);
    }
    return equalBytesMask(candidate, input, this.digits);
  }

  /**
   * Scans counters first..last (inclusive, all ≥ 0). A match at a counter ≤ `afterCounter` is
   * not eligible (RFC 6238 §5.2: a code is accepted once) and is reported as replayed if no
   * eligible counter matches. Among eligible matches the lowest counter wins.
   */
  scan(input: Uint8Array, first: number, last: number, afterCounter: number): ScanOutcome {
    let found = 0;
    let foundCounter = 0;
    let replayed = 0;
    for (let counter = Math.max(first, 0); counter <= last; counter++) {
      const equal = this.#matches(counter, input);
      const eligible = counter > afterCounter ? 1 : 0; // public: depends on time and state only
      const take = equal & eligible & (found ^ 1);
      foundCounter += take * (counter - foundCounter);
      found |= equal & eligible;
      replayed |= equal & (eligible ^ 1);
    }
    if (found === 1) return { kind: 'match', counter: foundCounter };
    return replayed === 1 ? { kind: 'replayed' } : { kind: 'mismatch' };
  }

  /**
   * Scans for two codes at consecutive counters t, t+1 with first ≤ t ≤ last; returns t+1.
   * Computes last-first+2 codes, each compared with both inputs.
   */
  scanConsecutive(
    input1: Uint8Array,
    input2: Uint8Array,
    first: number,
    last: number,
    afterCounter: number,
  ): ScanOutcome {
    let found = 0;
    let foundCounter = 0;
    let replayed = 0;
    let previousEqualsFirst = 0;
    for (let counter = Math.max(first, 0); counter <= last + 1; counter++) {
      const equalsFirst = this.#matches(counter, input1);
      const equalsSecond = equalBytesMask(this.#candidate, input2, this.digits);
      const pair = previousEqualsFirst & equalsSecond; // 0 on the first pass
      const eligible = counter - 1 > afterCounter ? 1 : 0;
      const take = pair & eligible & (found ^ 1);
      foundCounter += take * (counter - foundCounter);
      found |= pair & eligible;
      replayed |= pair & (eligible ^ 1);
      previousEqualsFirst = equalsFirst;
    }
    if (found === 1) return { kind: 'match', counter: foundCounter };
    return replayed === 1 ? { kind: 'replayed' } : { kind: 'mismatch' };
  }

  destroy(): void {
    this.#mac.destroy();
    this.#candidate.fill(0);
  }
}
