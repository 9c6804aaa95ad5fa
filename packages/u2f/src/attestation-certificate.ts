/**
 * @module
 * The attestation certificate of a U2F registration response (FIDO U2F Raw Message Formats
 * §4.3: "an attestation certificate in X.509 DER format"), read from inside the message. Its
 * length is not sent: it is the length of its outer DER SEQUENCE (X.690 §10). The structure is
 * checked down to the subject public key (RFC 5280 §4.1), which must be P-256
 * (id-ecPublicKey with prime256v1, RFC 5480 §2.1.1), since the attestation signature is
 * "ECDSA (on P-256)". The certificate's own signature and chain are a trust decision for the
 * caller (attestation metadata), not a parsing one.
 */

import { bytesEqual } from './bytes.js';
import {
  DER_BIT_STRING,
  DER_INTEGER,
  DER_OBJECT_IDENTIFIER,
  DER_SEQUENCE,
  derContent,
  expectDerElement,
  readDerChildren,
} from './der.js';
import { isP256PublicKey } from './p256-public-key.js';

/** Real attestation certificates are 300–1100 bytes; this bounds the work on hostile input. */
export const MAX_ATTESTATION_CERTIFICATE_BYTES = 4096;

/** 1.2.840.10045.2.1 id-ecPublicKey. */
const OID_EC_PUBLIC_KEY = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01);
/** 1.2.840.10045.3.1.7 prime256v1 (P-256). */
const OID_P256 = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);

export interface AttestationCertificate {
  /** The certificate's DER bytes (a view into the message). */
  readonly der: Uint8Array;
  /** Its subject public key, 0x04 ‖ x ‖ y. */
  readonly publicKey: Uint8Array;
}

function readSubjectPublicKey(bytes: Uint8Array, tbsStart: number, tbsEnd: number): Uint8Array | undefined {
  const tbs = expectDerElement(bytes, tbsStart, DER_SEQUENCE, tbsEnd);
  if (tbs === undefined || tbs.end !== tbsEnd) return undefined;
  const fields = readDerChildren(bytes, tbs);
  if (fields === undefined) return undefined;
  // [0] EXPLICIT version is optional (v1 certificates leave it out).
  const first = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, signature, issuer, validity, subject, spki] = fields.slice(first);
  if (serial?.tag !== DER_INTEGER || spki?.tag !== DER_SEQUENCE) return undefined;
  for (const field of [signature, issuer, validity, subject]) if (field?.tag !== DER_SEQUENCE) return undefined;
  const [algorithm, subjectPublicKey, ...extra] = readDerChildren(bytes, spki) ?? [];
  if (algorithm?.tag !== DER_SEQUENCE || subjectPublicKey?.tag !== DER_BIT_STRING || extra.length > 0) return undefined;
  const [keyType, curve, ...more] = readDerChildren(bytes, algorithm) ?? [];
  if (keyType?.tag !== DER_OBJECT_IDENTIFIER || curve?.tag !== DER_OBJECT_IDENTIFIER || more.length > 0)
    return undefined;
  if (!bytesEqual(derContent(bytes, keyType), OID_EC_PUBLIC_KEY) || !bytesEqual(derContent(bytes, curve), OID_P256)) {
    return undefined;
  }
  const bits = derContent(bytes, subjectPublicKey);
  // BIT STRING: first content byte is the count of unused bits, 0 for a key.
  if (bits[0] !== 0) return undefined;
  const publicKey = bits.slice(1);
  return isP256PublicKey(publicKey) ? publicKey : undefined;
}

/** Reads the certificate that starts at `offset` and ends at or before `limit`. */
export function readAttestationCertificate(
  bytes: Uint8Array,
  offset: number,
  limit: number = bytes.length,
): AttestationCertificate | undefined {
  const certificate = expectDerElement(bytes, offset, DER_SEQUENCE, limit);
  if (certificate === undefined || certificate.end - certificate.start > MAX_ATTESTATION_CERTIFICATE_BYTES) {
    return undefined;
  }
  const parts = readDerChildren(bytes, certificate);
  if (parts === undefined || parts.length !== 3) return undefined;
  const [tbs, algorithm, signature] = parts as [(typeof parts)[0], (typeof parts)[0], (typeof parts)[0]];
  if (tbs.tag !== DER_SEQUENCE || algorithm.tag !== DER_SEQUENCE || signature.tag !== DER_BIT_STRING) return undefined;
  const publicKey = readSubjectPublicKey(bytes, tbs.start, tbs.end);
  if (publicKey === undefined) return undefined;
  return { der: bytes.subarray(certificate.start, certificate.end), publicKey };
}
