/**
 * @module
 * A random (version 4) UUID, RFC 9562 §5.4, from `crypto.getRandomValues`. Not
 * `crypto.randomUUID()`: browsers offer that only in secure contexts (HTTPS, localhost), so an
 * Aegis export made on a plain-HTTP page or in some extension contexts would throw.
 */
export function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80; // variant 10
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
