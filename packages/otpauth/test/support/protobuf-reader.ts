/**
 * A minimal hand-written protobuf reader (varint and length-delimited fields only), independent
 * of @bufbuild/protobuf, to check what our migration export writes.
 */

export type FieldValue = bigint | Uint8Array;

export function readMessage(bytes: Uint8Array): Map<number, FieldValue[]> {
  const fields = new Map<number, FieldValue[]>();
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const tag = readVarint();
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    let value: FieldValue;
    if (wireType === 0) value = readVarint();
    else if (wireType === 2) {
      const length = Number(readVarint());
      value = bytes.slice(pos, pos + length);
      pos += length;
    } else throw new Error(`unexpected wire type ${wireType}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

export function int32(value: FieldValue | undefined): number {
  return value === undefined ? 0 : Number(BigInt.asIntN(32, value as bigint));
}

export function text(value: FieldValue | undefined): string {
  return value === undefined ? '' : new TextDecoder().decode(value as Uint8Array);
}

/** The payload bytes of an `otpauth-migration://offline?data=` URI (percent-decoded base64). */
export function payloadOf(uri: string): Uint8Array {
  const data = new URL(uri).searchParams.get('data');
  if (data === null) throw new Error('no data');
  return new Uint8Array(Buffer.from(data, 'base64'));
}
