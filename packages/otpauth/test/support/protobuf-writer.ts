/**
 * A hand-written protobuf encoder (Protocol Buffers "Encoding" guide: varints, tags,
 * length-delimited fields), deliberately independent of @bufbuild/protobuf, so migration payload
 * fixtures do not come from the code under test. Field numbers are the Google Authenticator
 * MigrationPayload ones, written out here by hand.
 */

export function varint(value: bigint | number): number[] {
  // int32/int64 negatives are 10-byte two's-complement varints.
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

const VARINT = 0;
const LENGTH_DELIMITED = 2;

function tag(field: number, wireType: number): number[] {
  return varint((field << 3) | wireType);
}

export function varintField(field: number, value: bigint | number): number[] {
  return [...tag(field, VARINT), ...varint(value)];
}

export function bytesField(field: number, bytes: Uint8Array | number[]): number[] {
  return [...tag(field, LENGTH_DELIMITED), ...varint(bytes.length), ...bytes];
}

export function stringField(field: number, text: string): number[] {
  return bytesField(field, [...new TextEncoder().encode(text)]);
}

export interface TestOtpParameters {
  secret: Uint8Array;
  name?: string;
  issuer?: string;
  /** 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5 */
  algorithm?: number;
  /** 1 six, 2 eight */
  digits?: number;
  /** 1 HOTP, 2 TOTP */
  type?: number;
  counter?: bigint | number;
}

export function otpParameters(p: TestOtpParameters): number[] {
  return [
    ...bytesField(1, p.secret),
    ...(p.name === undefined ? [] : stringField(2, p.name)),
    ...(p.issuer === undefined ? [] : stringField(3, p.issuer)),
    ...(p.algorithm === undefined ? [] : varintField(4, p.algorithm)),
    ...(p.digits === undefined ? [] : varintField(5, p.digits)),
    ...(p.type === undefined ? [] : varintField(6, p.type)),
    ...(p.counter === undefined ? [] : varintField(7, p.counter)),
  ];
}

export interface TestPayload {
  otp: TestOtpParameters[];
  version?: number;
  batchSize?: number;
  batchIndex?: number;
  batchId?: number;
}

export function migrationPayload(payload: TestPayload): Uint8Array {
  return new Uint8Array([
    ...payload.otp.flatMap((p) => bytesField(1, otpParameters(p))),
    ...varintField(2, payload.version ?? 1),
    ...varintField(3, payload.batchSize ?? 1),
    ...varintField(4, payload.batchIndex ?? 0),
    ...varintField(5, payload.batchId ?? 0),
  ]);
}

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** The URI as Google Authenticator shows it: base64, percent-escaped. */
export function migrationUri(payload: Uint8Array): string {
  return `otpauth-migration://offline?data=${encodeURIComponent(base64(payload))}`;
}
