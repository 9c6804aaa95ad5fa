/**
 * @module
 * Canonical base64 (RFC 4648 §4, padded) for the binary fields of the vault header and payload.
 * Decoding is lenient (Node's decoder); callers that need strictness re-encode and compare.
 */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
