/**
 * @module
 * The CBOR encoder (RFC 8949) the virtual key needs for WebAuthn attestation objects and COSE
 * keys: unsigned and negative integers, byte and text strings, arrays and maps. Maps are written
 * in the order given; callers give CTAP2's canonical order (CTAP 2.1 §8 "CTAP2 canonical CBOR").
 */
import { concatBytes, isBytes, utf8 } from './bytes.js';

export type CborValue = number | string | Uint8Array | readonly CborValue[] | CborMap;
export type CborMap = ReadonlyMap<number | string, CborValue>;

function head(majorType: number, value: number): Uint8Array {
  const major = majorType << 5;
  if (value < 24) return Uint8Array.of(major | value);
  if (value < 0x100) return Uint8Array.of(major | 24, value);
  if (value < 0x10000) return Uint8Array.of(major | 25, value >> 8, value & 0xff);
  return Uint8Array.of(major | 26, value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

export function encodeCbor(value: CborValue): Uint8Array {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) > 0xffffffff) throw new RangeError('CBOR integers here are 32-bit');
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = utf8(value);
    return concatBytes(head(3, bytes.length), bytes);
  }
  if (isBytes(value)) return concatBytes(head(2, value.length), value);
  if (value instanceof Map) {
    const parts: Uint8Array[] = [head(5, value.size)];
    for (const [key, entry] of value) parts.push(encodeCbor(key), encodeCbor(entry));
    return concatBytes(...parts);
  }
  const items = value as readonly CborValue[];
  return concatBytes(head(4, items.length), ...items.map(encodeCbor));
}
