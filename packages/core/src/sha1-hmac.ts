/**
 * @module
 * HMAC-SHA-1 specialised for one-time passwords: the message is always the 8-byte counter of
 * RFC 4226 §5.1, so each code costs exactly two SHA-1 compressions once the key is prepared.
 *
 * RFC 2104 §2 computes H(K ⊕ opad ‖ H(K ⊕ ipad ‖ m)). The blocks K ⊕ ipad and K ⊕ opad depend
 * only on the key, so their compressed states are computed once (`prepareSha1Hmac`). Per code:
 *   inner = compress(innerState, m ‖ 0x80 ‖ 0… ‖ len=(64+8)·8)     — FIPS 180-4 §5.1.1 padding
 *   mac   = compress(outerState, inner ‖ 0x80 ‖ 0… ‖ len=(64+20)·8)
 * No allocation per call: the message schedule is one module-level scratch array (calls are
 * synchronous, so it is never shared between two computations).
 *
 * This file is cross-checked against @noble/hashes and node:crypto by property tests.
 */
import { sha1 } from '@noble/hashes/legacy.js';

/** FIPS 180-4 §5.3.1 initial hash value. */
const IV = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0);
const BLOCK_BYTES = 64;
/** Message schedule W0..W79 (FIPS 180-4 §6.1.2 step 1). */
const W = new Int32Array(80);
const INNER_DIGEST = new Int32Array(5);
const MAC = new Int32Array(5);

/** FIPS 180-4 §6.1.2: one SHA-1 compression of the block in W[0..15], from `state` into `out`. */
function compress(state: Int32Array, out: Int32Array): void {
  for (let t = 16; t < 80; t++) {
    const x = (W[t - 3] as number) ^ (W[t - 8] as number) ^ (W[t - 14] as number) ^ (W[t - 16] as number);
    W[t] = (x << 1) | (x >>> 31);
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let t = 0;
  // FIPS 180-4 §4.1.1 f_t and §4.2.1 K_t, one loop per 20-round stage (no per-round branch).
  for (; t < 20; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + (W[t] as number)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (; t < 40; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + (W[t] as number)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (; t < 60; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + (W[t] as number)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (; t < 80; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + (W[t] as number)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  out[0] = ((state[0] as number) + a) | 0;
  out[1] = ((state[1] as number) + b) | 0;
  out[2] = ((state[2] as number) + c) | 0;
  out[3] = ((state[3] as number) + d) | 0;
  out[4] = ((state[4] as number) + e) | 0;
}

/** Loads the padded key XOR `pad` into W[0..15] as big-endian words. */
function loadPaddedKey(key: Uint8Array, pad: number): void {
  for (let i = 0; i < 16; i++) {
    let word = 0;
    for (let j = 0; j < 4; j++) {
      const index = i * 4 + j;
      word = (word << 8) | (((index < key.length ? (key[index] as number) : 0) ^ pad) & 0xff);
    }
    W[i] = word;
  }
}

/** Precomputed HMAC-SHA-1 key states. Treat as key material. */
export interface Sha1HmacState {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

/** RFC 2104 §2 steps (1)–(2) and (5) done once per key. Keys over 64 bytes are hashed first. */
export function prepareSha1Hmac(key: Uint8Array): Sha1HmacState {
  const k = key.length > BLOCK_BYTES ? sha1(key) : key;
  const inner = new Int32Array(5);
  const outer = new Int32Array(5);
  loadPaddedKey(k, 0x36);
  compress(IV, inner);
  loadPaddedKey(k, 0x5c);
  compress(IV, outer);
  if (k !== key) k.fill(0);
  W.fill(0);
  return { inner, outer };
}

/** HMAC-SHA-1 of the 8-byte big-endian counter (hi, lo), left in the returned scratch words. */
function macCounter(state: Sha1HmacState, counterHigh: number, counterLow: number): Int32Array {
  W[0] = counterHigh;
  W[1] = counterLow;
  W[2] = 0x80000000 | 0;
  W.fill(0, 3, 15);
  W[15] = (BLOCK_BYTES + 8) * 8;
  compress(state.inner, INNER_DIGEST);
  W.set(INNER_DIGEST, 0);
  W[5] = 0x80000000 | 0;
  W.fill(0, 6, 15);
  W[15] = (BLOCK_BYTES + 20) * 8;
  compress(state.outer, MAC);
  return MAC;
}

/**
 * RFC 4226 §5.3 dynamic truncation of HMAC-SHA-1(counter), as a 31-bit integer.
 * The offset selects a word pair and a shift instead of byte indexing, without branches.
 */
export function sha1HmacTruncated(state: Sha1HmacState, counterHigh: number, counterLow: number): number {
  const mac = macCounter(state, counterHigh, counterLow);
  const offset = (mac[4] as number) & 0xf;
  const wordIndex = offset >>> 2;
  const shift = (offset & 3) << 3;
  const high = mac[wordIndex] as number;
  const low = mac[wordIndex + 1] as number; // wordIndex ≤ 3, so this is at most mac[4]
  // (low >>> 1) >>> (31 - shift) is low >>> (32 - shift), and 0 when shift is 0.
  return ((high << shift) | ((low >>> 1) >>> (31 - shift))) & 0x7fffffff;
}

/** Full 20-byte HMAC-SHA-1(counter); used by tests to cross-check against other implementations. */
export function sha1HmacCounter(state: Sha1HmacState, counterHigh: number, counterLow: number): Uint8Array {
  const mac = macCounter(state, counterHigh, counterLow);
  const out = new Uint8Array(20);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 5; i++) view.setInt32(i * 4, mac[i] as number, false);
  return out;
}
