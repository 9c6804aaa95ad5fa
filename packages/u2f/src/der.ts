/**
 * @module
 * A strict DER (ITU-T X.690 §10) reader for the few structures U2F carries: one
 * tag-length-value element at a time, single-byte tags, definite lengths in their shortest form
 * (§10.1), and never past the end of its enclosing element. Anything else is `undefined`, so a
 * parser above turns it into a typed refusal instead of guessing.
 */

export interface DerElement {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the content. */
  readonly end: number;
}

export const DER_INTEGER = 0x02;
export const DER_BIT_STRING = 0x03;
export const DER_OBJECT_IDENTIFIER = 0x06;
export const DER_SEQUENCE = 0x30;

/** Reads the element at `offset`, which must end at or before `limit`. */
export function readDerElement(
  bytes: Uint8Array,
  offset: number,
  limit: number = bytes.length,
): DerElement | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset] as number;
  // High tag numbers (0x1f) never occur in what we read.
  if ((tag & 0x1f) === 0x1f) return undefined;
  const first = bytes[offset + 1] as number;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const lengthBytes = first & 0x7f;
    // 0x80 is the indefinite form (BER only); more than 3 length bytes is more than we ever accept.
    if (lengthBytes === 0 || lengthBytes > 3 || offset + 2 + lengthBytes > limit) return undefined;
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + (bytes[offset + 2 + i] as number);
    // Shortest form (X.690 §10.1): no leading zero byte, and the long form only from 128 on.
    if ((bytes[offset + 2] as number) === 0 || length < 0x80) return undefined;
    contentStart = offset + 2 + lengthBytes;
  }
  const end = contentStart + length;
  if (end > limit) return undefined;
  return { tag, start: offset, contentStart, end };
}

/** Reads the element at `offset` and checks its tag. */
export function expectDerElement(
  bytes: Uint8Array,
  offset: number,
  tag: number,
  limit: number = bytes.length,
): DerElement | undefined {
  const element = readDerElement(bytes, offset, limit);
  return element?.tag === tag ? element : undefined;
}

/** The elements of a constructed element's content, in order; `undefined` if any is malformed. */
export function readDerChildren(bytes: Uint8Array, parent: DerElement): DerElement[] | undefined {
  const children: DerElement[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readDerElement(bytes, offset, parent.end);
    if (child === undefined) return undefined;
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The content bytes of an element (a view, not a copy). */
export function derContent(bytes: Uint8Array, element: DerElement): Uint8Array {
  return bytes.subarray(element.contentStart, element.end);
}
