/**
 * @module
 * @mfakit/u2f/node — `nodeP256Verify`, the P-256 ECDSA check of the raw U2F verifiers done by
 * node:crypto (OpenSSL) instead of pure JavaScript: pass it as `verifyP256` to
 * `verifyU2fRegistration` / `verifyU2fAuthentication` on a Node server.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { P256Verify } from '../p256-verify.js';

export type { P256Verify } from '../p256-verify.js';

/** SubjectPublicKeyInfo DER prefix of an uncompressed P-256 key (RFC 5480 §2). */
const SPKI_P256_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

/**
 * Parsing a key into a KeyObject costs OpenSSL several times the verification itself, so the
 * last few hundred keys are kept (public keys: nothing secret is cached), oldest dropped first.
 */
const KEY_CACHE_SIZE = 512;
const keyCache = new Map<string, KeyObject>();

function keyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64');
  let key = keyCache.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_P256_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value as string);
  } else {
    keyCache.delete(id);
  }
  keyCache.set(id, key);
  return key;
}

/**
 * The `P256Verify` of node:crypto (OpenSSL): the same answers as `nobleP256Verify`, faster on a
 * Node server (see the package README). Pass it as `verifyP256` to `verifyU2fRegistration` and
 * `verifyU2fAuthentication`. It keeps the parsed keys of the last 512 public keys it saw (public
 * keys only: nothing secret is cached). Node only.
 */
export const nodeP256Verify: P256Verify = (signature, message, publicKey) => {
  const key = keyObject(publicKey);
  // IEEE P1363 is r ‖ s, the form the verifiers hand over.
  return verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
};
