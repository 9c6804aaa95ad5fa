/**
 * @module
 * A prepared HMAC over an 8-byte counter: the primitive under HOTP and TOTP (RFC 4226 §5.2–5.3).
 * SHA-1 uses the specialised two-compression path; SHA-256/512 (RFC 6238 §1.2), SHA-224/384
 * (FIPS 180-4) and SHA3-224/256/384/512 (FIPS 202) clone a prepared @noble/hashes HMAC state
 * instead of rebuilding it from the key for every code. Every digest is at least 28 bytes, so
 * the dynamic truncation's offset (≤ 15) plus 4 bytes always fits.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512 } from '@noble/hashes/sha3.js';
import type { HashAlgorithm } from './hash-algorithms.js';
import { prepareSha1Hmac, type Sha1HmacState, sha1HmacTruncated } from './sha1-hmac.js';

/** Computes the RFC 4226 §5.3 31-bit dynamic truncation of HMAC(key, counter). */
export interface CounterMac {
  truncated(counterHigh: number, counterLow: number): number;
  destroy(): void;
}

/** RFC 4226 §5.3 DT over a digest of any length. */
export function dynamicTruncate(digest: Uint8Array): number {
  const offset = (digest[digest.length - 1] as number) & 0xf;
  return (
    (((digest[offset] as number) & 0x7f) << 24) |
    ((digest[offset + 1] as number) << 16) |
    ((digest[offset + 2] as number) << 8) |
    (digest[offset + 3] as number)
  );
}

class Sha1CounterMac implements CounterMac {
  #state: Sha1HmacState;
  constructor(key: Uint8Array) {
    this.#state = prepareSha1Hmac(key);
  }
  truncated(counterHigh: number, counterLow: number): number {
    return sha1HmacTruncated(this.#state, counterHigh, counterLow);
  }
  destroy(): void {
    this.#state.inner.fill(0);
    this.#state.outer.fill(0);
  }
}

/** The part of @noble/hashes' HMAC object used here (its generic types do not compose). */
interface PreparedHmac {
  readonly outputLen: number;
  _cloneInto(to?: PreparedHmac): PreparedHmac;
  update(message: Uint8Array): unknown;
  digestInto(out: Uint8Array): void;
  destroy(): void;
}

/** A @noble/hashes hash function (what `hmac.create` takes). */
type NobleHash = Parameters<typeof hmac.create>[0];

/** The @noble/hashes function of every algorithm but SHA1, which has its own path. */
const NOBLE_HASHES: Readonly<Record<Exclude<HashAlgorithm, 'SHA1'>, NobleHash>> = {
  SHA256: sha256,
  SHA512: sha512,
  SHA224: sha224,
  SHA384: sha384,
  'SHA3-224': sha3_224,
  'SHA3-256': sha3_256,
  'SHA3-384': sha3_384,
  'SHA3-512': sha3_512,
};

class NobleCounterMac implements CounterMac {
  readonly #prepared: PreparedHmac;
  #scratch: PreparedHmac | undefined;
  readonly #message = new Uint8Array(8);
  readonly #messageView = new DataView(this.#message.buffer);
  readonly #digest: Uint8Array;

  constructor(hash: NobleHash, key: Uint8Array) {
    this.#prepared = hmac.create(hash, key) as unknown as PreparedHmac;
    this.#digest = new Uint8Array(this.#prepared.outputLen);
  }
  truncated(counterHigh: number, counterLow: number): number {
    this.#messageView.setUint32(0, counterHigh >>> 0, false);
    this.#messageView.setUint32(4, counterLow >>> 0, false);
    const mac = this.#prepared._cloneInto(this.#scratch);
    this.#scratch = mac;
    mac.update(this.#message);
    mac.digestInto(this.#digest);
    return dynamicTruncate(this.#digest);
  }
  destroy(): void {
    this.#prepared.destroy();
    this.#scratch?.destroy();
    this.#digest.fill(0);
  }
}

/** The prepared MAC of `key` for `algorithm`. */
export function createCounterMac(algorithm: HashAlgorithm, key: Uint8Array): CounterMac {
  return algorithm === 'SHA1' ? new Sha1CounterMac(key) : new NobleCounterMac(NOBLE_HASHES[algorithm], key);
}
