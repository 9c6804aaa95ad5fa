/**
 * @module
 * ECDSA P-256 signatures in the DER form U2F uses (FIDO U2F Raw Message Formats §4.3 and §5.4:
 * "ECDSA signature (on P-256)" encoded as in ANSI X9.62 / RFC 3279 §2.2.3,
 * `SEQUENCE { r INTEGER, s INTEGER }`). Parsing is strict: minimal positive INTEGERs, no
 * trailing bytes, 1 ≤ r, s < n. Whether s may be above n/2 is the caller's policy (see
 * `requireLowS` in the verifiers).
 */
import { DER_INTEGER, DER_SEQUENCE, expectDerElement } from './der.js';

/** The order n of the P-256 group (SEC 2 §2.4.2). */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_ORDER = P256_ORDER >> 1n;

/** The longest DER P-256 signature: 2 + 2 × (2 + 33). */
export const MAX_DER_SIGNATURE_BYTES = 72;
/** The shortest: two one-byte INTEGERs. */
export const MIN_DER_SIGNATURE_BYTES = 8;

export type SignatureProblem = 'malformed' | 'out_of_range' | 'high_s';

export interface ParsedSignature {
  readonly r: bigint;
  readonly s: bigint;
  /** r ‖ s, 32 bytes each: what @noble/curves verifies. */
  readonly compact: Uint8Array;
}

function readPositiveInteger(
  bytes: Uint8Array,
  offset: number,
  limit: number,
): { value: bigint; end: number } | undefined {
  const element = expectDerElement(bytes, offset, DER_INTEGER, limit);
  if (element === undefined) return undefined;
  const length = element.end - element.contentStart;
  if (length < 1 || length > 33) return undefined;
  const first = bytes[element.contentStart] as number;
  // Negative numbers are not ECDSA values; a leading 0x00 is allowed only before a byte ≥ 0x80.
  if (first & 0x80) return undefined;
  if (first === 0 && length > 1 && ((bytes[element.contentStart + 1] as number) & 0x80) === 0) return undefined;
  let value = 0n;
  for (let i = element.contentStart; i < element.end; i++) value = (value << 8n) | BigInt(bytes[i] as number);
  return { value, end: element.end };
}

function toFixed32(value: bigint, out: Uint8Array, offset: number): void {
  let rest = value;
  for (let i = 31; i >= 0; i--) {
    out[offset + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** Parses a whole byte string as one DER signature. */
export function parseDerSignature(
  bytes: Uint8Array,
  options: { requireLowS: boolean },
): ParsedSignature | SignatureProblem {
  if (bytes.length < MIN_DER_SIGNATURE_BYTES || bytes.length > MAX_DER_SIGNATURE_BYTES) return 'malformed';
  const sequence = expectDerElement(bytes, 0, DER_SEQUENCE);
  if (sequence === undefined || sequence.end !== bytes.length) return 'malformed';
  const r = readPositiveInteger(bytes, sequence.contentStart, sequence.end);
  if (r === undefined) return 'malformed';
  const s = readPositiveInteger(bytes, r.end, sequence.end);
  if (s === undefined || s.end !== sequence.end) return 'malformed';
  if (r.value === 0n || s.value === 0n || r.value >= P256_ORDER || s.value >= P256_ORDER) return 'out_of_range';
  if (options.requireLowS && s.value > HALF_ORDER) return 'high_s';
  const compact = new Uint8Array(64);
  toFixed32(r.value, compact, 0);
  toFixed32(s.value, compact, 32);
  return { r: r.value, s: s.value, compact };
}

function integerBytes(value: bigint): Uint8Array {
  const hex = value.toString(16);
  const padded = hex.length % 2 === 0 ? hex : `0${hex}`;
  const raw = Uint8Array.from(padded.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
  return (raw[0] as number) & 0x80 ? Uint8Array.of(0, ...raw) : raw;
}

/** DER-encodes r ‖ s (the compact form @noble/curves signs into). */
export function encodeDerSignature(compact: Uint8Array): Uint8Array {
  let r = 0n;
  let s = 0n;
  for (let i = 0; i < 32; i++) r = (r << 8n) | BigInt(compact[i] as number);
  for (let i = 32; i < 64; i++) s = (s << 8n) | BigInt(compact[i] as number);
  const rBytes = integerBytes(r);
  const sBytes = integerBytes(s);
  const body = [DER_INTEGER, rBytes.length, ...rBytes, DER_INTEGER, sBytes.length, ...sBytes];
  return Uint8Array.from([DER_SEQUENCE, body.length, ...body]);
}
