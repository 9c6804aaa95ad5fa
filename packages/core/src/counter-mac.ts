/**
 * @module
 * A prepared HMAC over an 8-byte counter: the primitive under HOTP and TOTP (RFC 4226 §5.2–5.3).
 * SHA-1 uses the specialised two-compression path; SHA-256/512 (RFC 6238 §1.2) clone a prepared
 * @noble/hashes HMAC state instead of rebuilding it from the key for every code.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
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

class NobleCounterMac implements CounterMac {
  readonly #prepared: PreparedHmac;
  #scratch: PreparedHmac | undefined;
  readonly #message = new Uint8Array(8);
  readonly #messageView = new DataView(this.#message.buffer);
  readonly #digest: Uint8Array;

  constructor(hash: typeof sha256 | typeof sha512, key: Uint8Array) {
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

export function createCounterMac(algorithm: HashAlgorithm, key: Uint8Array): CounterMac {
  switch (algorithm) {
    case 'SHA1':
      return new Sha1CounterMac(key);
    case 'SHA256':
      return new NobleCounterMac(sha256, key);
    case 'SHA512':
      return new NobleCounterMac(sha512, key);
  }
}
