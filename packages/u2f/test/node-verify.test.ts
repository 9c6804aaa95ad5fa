/**
 * `nodeP256Verify` (`@mfakit/u2f/node`, OpenSSL) and the default @noble/curves check agree, on
 * the specification's examples and on random keys, messages and altered signatures; the
 * verifiers use whichever they are given.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { nobleP256Verify, verifyU2fAuthentication, verifyU2fRegistration } from '@mfakit/u2f';
import { nodeP256Verify } from '@mfakit/u2f/node';
import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { P256_ORDER } from '../src/ecdsa-signature.js';
import {
  authenticationMessage,
  authenticationOptions,
  registrationMessage,
  registrationOptions,
} from './support/spec-messages.js';

test('the specification’s examples verify with node:crypto', () => {
  expect(
    verifyU2fRegistration(registrationMessage(), { ...registrationOptions, verifyP256: nodeP256Verify }).keyHandle,
  ).toHaveLength(64);
  expect(
    verifyU2fAuthentication(authenticationMessage(), { ...authenticationOptions, verifyP256: nodeP256Verify }),
  ).toEqual({
    ok: true,
    counter: 1,
    userPresent: true,
  });
});

test('the verifier given is the one used (a verifier that says no)', () => {
  expect(
    verifyU2fAuthentication(authenticationMessage(), { ...authenticationOptions, verifyP256: () => false }),
  ).toEqual({
    ok: false,
    reason: 'u2f_bad_signature',
  });
  expect(() =>
    verifyU2fAuthentication(authenticationMessage(), { ...authenticationOptions, verifyP256: 1 as never }),
  ).toThrow(TypeError);
});

test('noble and node:crypto agree on random signatures, altered or not, high s included (300 runs)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 48, maxLength: 48 }),
      fc.uint8Array({ maxLength: 100 }),
      fc.constantFrom('valid', 'high-s', 'message', 'r', 'key'),
      (seed, message, change) => {
        const secretKey = p256.utils.randomSecretKey(seed);
        let publicKey = p256.getPublicKey(secretKey, false);
        const signature = p256.sign(message, secretKey, { prehash: true });
        let signed = message;
        if (change === 'high-s') {
          const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
          signature.set(Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex'), 32);
        } else if (change === 'message') {
          signed = new Uint8Array([...message, 1]);
        } else if (change === 'r') {
          signature[5] = (signature[5] as number) ^ 1;
        } else if (change === 'key') {
          publicKey = p256.getPublicKey(p256.utils.randomSecretKey(seed.map((byte) => byte ^ 0x55)), false);
        }
        const noble = nobleP256Verify(signature, signed, publicKey);
        expect(nodeP256Verify(signature, signed, publicKey)).toBe(noble);
        expect(noble).toBe(change === 'valid' || change === 'high-s');
      },
    ),
    { numRuns: 300 },
  );
});

test('past the key cache (600 keys, 512 kept), every key still verifies, evicted ones too', () => {
  const message = new TextEncoder().encode('signed');
  const keys = Array.from({ length: 600 }, () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const signature = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    return { publicKey: new Uint8Array(spki.subarray(spki.length - 65)), signature: new Uint8Array(signature) };
  });
  for (const { publicKey, signature } of [...keys, ...keys.slice(0, 100)]) {
    expect(nodeP256Verify(signature, message, publicKey)).toBe(true);
  }
  const [first, second] = keys as [(typeof keys)[0], (typeof keys)[0]];
  expect(nodeP256Verify(first.signature, message, second.publicKey)).toBe(false);
});
