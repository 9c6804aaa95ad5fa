/**
 * @module
 * The shared machinery of HOTP, TOTP and Steam Guard keys: turn a counter into a code (RFC 4226
 * §5.3–5.4, or another encoding of the same 31-bit value) and scan a window of counters for a typed
 * code in constant time.
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

/** How the RFC 4226 §5.3 31-bit value of a counter becomes the characters of a code. */
export interface CodeEncoding {
  /** Characters in a code. */
  readonly length: number;
  /** Writes the code of `truncated` as ASCII bytes into `out[0..length)`, with no branch on the value. */
  write(truncated: number, out: Uint8Array): void;
  /**
   * The code of `truncated` as text, when the encoding has a faster way than `write` (a generated
   * code is the caller's output, so this path need not avoid branches; verification uses `write`).
   */
  text?(truncated: number): string;
}

/** RFC 4226 §5.3 step 3: Snum mod 10^Digit, written as `digits` decimal digits with leading zeros. */
function makeDecimalEncoding(digits: number): CodeEncoding {
  const modulus = POWERS_OF_TEN[digits] as number;
  return Object.freeze({
    length: digits,
    write(truncated: number, out: Uint8Array): void {
      let value = truncated % modulus;
      for (let i = digits - 1; i >= 0; i--) {
        out[i] = 0x30 + (value % 10);
        value = Math.floor(value / 10);
      }
    },
    // ≈ 1.5× the generate rate of writing bytes and joining them (bench/results/core.md).
    text: (truncated: number): string => String(truncated % modulus).padStart(digits, '0'),
  });
}

/** One encoding per length, made once: a key made for one code allocates none. */
const DECIMAL_ENCODINGS = POWERS_OF_TEN.map((_, digits) => makeDecimalEncoding(digits));

/** The decimal encoding of `digits`-digit codes (RFC 4226 §5.3 step 3). */
export function decimalEncoding(digits: number): CodeEncoding {
  return DECIMAL_ENCODINGS[digits] ?? makeDecimalEncoding(digits);
}

/** Runs `use` with a key made for one call, then wipes the key (its HMAC state) whatever happens. */
export function usingKey<K extends { destroy(): void }, T>(key: K, use: (key: K) => T): T {
  try {
    return use(key);
  } finally {
    key.destroy();
  }
}

export class OtpEngine {
  readonly #mac: CounterMac;
  readonly #encoding: CodeEncoding;
  readonly #candidate: Uint8Array;
  readonly #output: Uint8Array;
  /** Characters in a code. */
  readonly length: number;

  constructor(algorithm: HashAlgorithm, secret: Uint8Array, encoding: CodeEncoding) {
    this.#mac = createCounterMac(algorithm, secret);
    this.#encoding = encoding;
    this.length = encoding.length;
    this.#candidate = new Uint8Array(encoding.length);
    this.#output = new Uint8Array(encoding.length);
  }

  /** The code for a counter given as two 32-bit words. */
  code(counterHigh: number, counterLow: number): string {
    const truncated = this.#mac.truncated(counterHigh, counterLow);
    if (this.#encoding.text !== undefined) return this.#encoding.text(truncated);
    this.#encoding.write(truncated, this.#output);
    const code = String.fromCharCode(...this.#output);
    this.#output.fill(0);
    return code;
  }

  /** The code for a counter that is a safe integer. */
  codeAt(counter: number): string {
    return this.code(Math.floor(counter / TWO_TO_32), counter | 0);
  }

  /** 1 if the code at `counter` equals `input` (ASCII), else 0, in constant time. */
  #matches(counter: number, input: Uint8Array): number {
    this.#encoding.write(this.#mac.truncated(Math.floor(counter / TWO_TO_32), counter | 0), this.#candidate);
    return equalBytesMask(this.#candidate, input, this.length);
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
      const equalsSecond = equalBytesMask(this.#candidate, input2, this.length);
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
