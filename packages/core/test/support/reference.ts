/**
 * @module
 * Independent reference implementations and shared fast-check arbitraries for the core tests.
 * The reference HOTP is written directly from RFC 4226 §5.3 on top of node:crypto, sharing no
 * code with @mfakit/core.
 */
import { createHmac } from 'node:crypto';
import type { HashAlgorithm } from '@mfakit/core';
import { RFC_6238_ALGORITHMS } from '@mfakit/core/validate';
import fc from 'fast-check';

/** RFC 6238's algorithms, which every peer library and oathtool compute. */
export const ALGORITHMS: readonly HashAlgorithm[] = RFC_6238_ALGORITHMS;

/** node:crypto (OpenSSL) names of every algorithm mfakit computes. */
export const NODE_HASH: Record<HashAlgorithm, string> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
  SHA224: 'sha224',
  SHA384: 'sha384',
  'SHA3-224': 'sha3-224',
  'SHA3-256': 'sha3-256',
  'SHA3-384': 'sha3-384',
  'SHA3-512': 'sha3-512',
};

/** RFC 4226 §5.2: the counter as 8 big-endian bytes. */
export function counterBytes(counter: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(counter);
  return bytes;
}

/** RFC 4226 §5.3 over node:crypto: HMAC, dynamic truncation, modulo 10^digits, zero-padded. */
export function referenceHotp(secret: Uint8Array, counter: bigint, algorithm: HashAlgorithm, digits: number): string {
  const mac = createHmac(NODE_HASH[algorithm], secret).update(counterBytes(counter)).digest();
  const offset = (mac[mac.length - 1] as number) & 0xf;
  const truncated = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(truncated % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 §4.2 with T0 = 0: the step of a time in milliseconds. */
export function referenceStep(atMs: number, period: number): number {
  return Math.floor(Math.floor(atMs / 1000) / period);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export const asciiBytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Milliseconds from 1970 to 2100: realistic times, far from floating-point trouble in peers. */
export const timeMs = fc.integer({ min: 0, max: 4_102_444_800_000 });
export const algorithm = fc.constantFrom(...ALGORITHMS);
export const totpDigits = fc.integer({ min: 6, max: 8 });
export const secretBytes = (minLength = 16, maxLength = 64) => fc.uint8Array({ minLength, maxLength });

/** A fixed 20-byte secret for tests that are about windows, not about keys. */
export const RFC_SECRET = asciiBytes('12345678901234567890');
