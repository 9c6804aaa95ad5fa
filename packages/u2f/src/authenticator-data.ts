/**
 * @module
 * Authenticator data (WebAuthn §6.1): rpIdHash (32) ‖ flags (1) ‖ signCount (4, big-endian)
 * ‖ attested credential data (§6.5.1: AAGUID (16) ‖ credential id length (2) ‖ credential id
 * ‖ COSE public key) when the AT flag is set. And the COSE_Key of a P-256 public key
 * (RFC 9053 §7.1.1 EC2, alg ES256 = -7, crv P-256 = 1), in CTAP2 canonical key order.
 */
import { concatBytes, uint32BigEndian } from './bytes.js';
import { encodeCbor } from './cbor.js';

/** §6.1 flags. */
export const FLAG_USER_PRESENT = 0x01;
export const FLAG_ATTESTED_CREDENTIAL_DATA = 0x40;

export const COSE_ALG_ES256 = -7;

export function coseP256PublicKey(uncompressed: Uint8Array): Uint8Array {
  return encodeCbor(
    new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, COSE_ALG_ES256], // alg
      [-1, 1], // crv: P-256
      [-2, uncompressed.subarray(1, 33)], // x
      [-3, uncompressed.subarray(33, 65)], // y
    ]),
  );
}

export function authenticatorData(options: {
  rpIdHash: Uint8Array;
  userPresent: boolean;
  signCount: number;
  attested?: { aaguid: Uint8Array; credentialId: Uint8Array; publicKey: Uint8Array };
}): Uint8Array {
  const { attested } = options;
  const flags = (options.userPresent ? FLAG_USER_PRESENT : 0) | (attested ? FLAG_ATTESTED_CREDENTIAL_DATA : 0);
  const head = concatBytes(options.rpIdHash, Uint8Array.of(flags), uint32BigEndian(options.signCount));
  if (attested === undefined) return head;
  const idLength = attested.credentialId.length;
  return concatBytes(
    head,
    attested.aaguid,
    Uint8Array.of(idLength >> 8, idLength & 0xff),
    attested.credentialId,
    coseP256PublicKey(attested.publicKey),
  );
}

/** SubjectPublicKeyInfo DER prefix of an uncompressed P-256 key (RFC 5480 §2). */
const SPKI_P256_PREFIX = Uint8Array.of(
  0x30,
  0x59,
  0x30,
  0x13,
  0x06,
  0x07,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x02,
  0x01,
  0x06,
  0x08,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x03,
  0x01,
  0x07,
  0x03,
  0x42,
  0x00,
);

export function spkiP256PublicKey(uncompressed: Uint8Array): Uint8Array {
  return concatBytes(SPKI_P256_PREFIX, uncompressed);
}
