/** node:crypto as an independent P-256 ECDSA implementation, to cross-check signatures. */
import { createPublicKey, verify } from 'node:crypto';

/** SubjectPublicKeyInfo prefix for an uncompressed P-256 key (RFC 5480). */
const SPKI_P256_PREFIX = Uint8Array.from(
  '3059301306072a8648ce3d020106082a8648ce3d030107034200'.match(/../g) ?? [],
  (pair) => Number.parseInt(pair, 16),
);

export function nodeVerifyP256(publicKey: Uint8Array, message: Uint8Array, derSignature: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.concat([SPKI_P256_PREFIX, publicKey]), format: 'der', type: 'spki' });
  return verify('sha256', message, { key, dsaEncoding: 'der' }, derSignature);
}
