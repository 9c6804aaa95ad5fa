/**
 * @module
 * The DER encoder (ITU-T X.690 §10) the virtual key needs to write its attestation certificate:
 * tag, shortest-form length, content. Nothing is parsed here.
 */
import { concatBytes, utf8 } from './bytes.js';

export function derTlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(...content);
  const length = body.length;
  let header: Uint8Array;
  if (length < 0x80) header = Uint8Array.of(tag, length);
  else if (length < 0x100) header = Uint8Array.of(tag, 0x81, length);
  else if (length < 0x10000) header = Uint8Array.of(tag, 0x82, length >> 8, length & 0xff);
  else throw new RangeError('DER element too long for this writer');
  return concatBytes(header, body);
}

export const derSequence = (...content: readonly Uint8Array[]): Uint8Array => derTlv(0x30, ...content);
export const derSet = (...content: readonly Uint8Array[]): Uint8Array => derTlv(0x31, ...content);
export const derUtf8String = (text: string): Uint8Array => derTlv(0x0c, utf8(text));
export const derPrintableString = (text: string): Uint8Array => derTlv(0x13, utf8(text));
export const derUtcTime = (text: string): Uint8Array => derTlv(0x17, utf8(text));
export const derGeneralizedTime = (text: string): Uint8Array => derTlv(0x18, utf8(text));
export const derBitString = (bytes: Uint8Array): Uint8Array => derTlv(0x03, Uint8Array.of(0), bytes);
export const derOctetString = (bytes: Uint8Array): Uint8Array => derTlv(0x04, bytes);
export const derBoolean = (value: boolean): Uint8Array => Uint8Array.of(0x01, 0x01, value ? 0xff : 0x00);
/** A context-specific constructed tag, [n] EXPLICIT. */
export const derExplicit = (n: number, ...content: readonly Uint8Array[]): Uint8Array => derTlv(0xa0 | n, ...content);

/** A non-negative INTEGER from big-endian bytes, minimal (X.690 §8.3.2). */
export function derUnsignedInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return (trimmed[0] as number) & 0x80 ? derTlv(0x02, Uint8Array.of(0), trimmed) : derTlv(0x02, trimmed);
}

/** An OBJECT IDENTIFIER from its dotted form (X.690 §8.19). */
export function derObjectIdentifier(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const out: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      chunk.unshift((value & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return derTlv(0x06, Uint8Array.from(out));
}
