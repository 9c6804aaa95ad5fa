/**
 * @module
 * What counts as bytes. A `Uint8Array` made in another realm (an iframe, a `node:vm` context,
 * jsdom under a test runner) fails `instanceof Uint8Array` here although it is one, so the check
 * also accepts any typed-array view whose constructor is named `Uint8Array` — the test
 * @noble/hashes' `isBytes` uses. Node's `Buffer` is a `Uint8Array` subclass and is accepted.
 */

/** True for a `Uint8Array` of this realm or of any other (iframe, `node:vm`, jsdom). */
export function isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && (value as { constructor?: { name?: unknown } }).constructor?.name === 'Uint8Array')
  );
}

/** Throws `TypeError` naming the argument unless `value` is bytes (see {@link isBytes}). */
export function assertBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!isBytes(value)) throw new TypeError(`${name} must be a Uint8Array`);
}
