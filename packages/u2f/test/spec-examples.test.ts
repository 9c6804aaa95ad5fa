/**
 * The example messages of FIDO U2F Raw Message Formats v1.2 §8 (fixed keys and signatures), as
 * data in vectors/u2f-spec-examples.json (see its `source`), verified by our verifiers and
 * cross-checked with node:crypto.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { applicationParameter, verifyU2fAuthentication, verifyU2fRegistration } from '@mfakit/u2f';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex, utf8 } from './support/hex.js';
import { nodeVerifyP256 } from './support/node-ecdsa.js';
import vectors from './vectors/u2f-spec-examples.json' with { type: 'json' };

const reg = vectors.registration;
const auth = vectors.authentication;

describe('§8.1 registration example', () => {
  const message = fromHex(reg.responseHex);
  const options = { appId: reg.appId, clientData: utf8(reg.clientData), challenge: reg.challenge, origin: reg.origin };

  test('the parameters are the SHA-256 of the app id and of the client data', () => {
    expect(toHex(applicationParameter(reg.appId))).toBe(reg.applicationParameterHex);
    expect(toHex(sha256(utf8(reg.clientData)))).toBe(reg.challengeParameterHex);
  });

  test('verifies and returns the key handle, the user public key and the certificate', () => {
    const result = verifyU2fRegistration(message, options);
    expect(toHex(result.keyHandle)).toBe(reg.keyHandleHex);
    expect(toHex(result.publicKey)).toBe(reg.userPublicKeyHex);
    expect(toHex(result.attestationCertificate)).toBe(reg.attestationCertificateHex);
  });

  test('node:crypto agrees: the certificate parses, its key is the attestation key, the signature verifies', () => {
    const certificate = new X509Certificate(fromHex(reg.attestationCertificateHex));
    const privateKey = createPrivateKey({
      key: Buffer.concat([
        fromHex('30310201010420'),
        fromHex(reg.attestationPrivateKeyHex),
        fromHex('a00a06082a8648ce3d030107'),
      ]),
      format: 'der',
      type: 'sec1',
    });
    expect(certificate.checkPrivateKey(privateKey)).toBe(true);
    const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
    const attestationKey = new Uint8Array(spki.subarray(spki.length - 65));
    const signed = new Uint8Array([
      0,
      ...fromHex(reg.applicationParameterHex),
      ...fromHex(reg.challengeParameterHex),
      ...fromHex(reg.keyHandleHex),
      ...fromHex(reg.userPublicKeyHex),
    ]);
    const signature = message.subarray(message.length - 71);
    expect(nodeVerifyP256(attestationKey, signed, signature)).toBe(true);
    signed[1] = (signed[1] as number) ^ 1;
    expect(nodeVerifyP256(attestationKey, signed, signature)).toBe(false);
  });

  test('its attestation signature has a high s (U2F keys do not normalise): refused only under requireLowS', () => {
    expect(() => verifyU2fRegistration(message, { ...options, requireLowS: true })).toThrow(
      expect.objectContaining({ code: 'u2f_signature_out_of_range' }),
    );
  });

  test('another app id, challenge, origin or ceremony type is refused', () => {
    const refusal = (code: string) => expect.objectContaining({ name: 'MfaError', code });
    expect(() => verifyU2fRegistration(message, { ...options, appId: 'https://example.com' })).toThrow(
      refusal('u2f_bad_signature'),
    );
    expect(() => verifyU2fRegistration(message, { ...options, challenge: auth.challenge })).toThrow(
      refusal('u2f_wrong_challenge'),
    );
    expect(() => verifyU2fRegistration(message, { ...options, origin: 'https://example.com' })).toThrow(
      refusal('u2f_wrong_origin'),
    );
    expect(() =>
      verifyU2fRegistration(message, {
        ...options,
        clientData: utf8(reg.clientData.replace('finishEnrollment', 'getAssertion')),
      }),
    ).toThrow(refusal('u2f_wrong_client_data_type'));
  });
});

describe('§8.2 authentication example', () => {
  const message = fromHex(auth.responseHex);
  const options = {
    appId: auth.appId,
    clientData: utf8(auth.clientData),
    challenge: auth.challenge,
    origin: auth.origin,
    credential: { publicKey: fromHex(auth.userPublicKeyHex) },
  };

  test('the parameters are the SHA-256 of the app id and of the client data', () => {
    expect(toHex(applicationParameter(auth.appId))).toBe(auth.applicationParameterHex);
    expect(toHex(sha256(utf8(auth.clientData)))).toBe(auth.challengeParameterHex);
  });

  test('verifies with user presence and counter 1', () => {
    expect(verifyU2fAuthentication(message, options)).toEqual({ ok: true, counter: auth.counter, userPresent: true });
  });

  test('node:crypto agrees on the signature', () => {
    const signed = new Uint8Array([
      ...fromHex(auth.applicationParameterHex),
      ...message.subarray(0, 5),
      ...fromHex(auth.challengeParameterHex),
    ]);
    expect(nodeVerifyP256(fromHex(auth.userPublicKeyHex), signed, message.subarray(5))).toBe(true);
  });

  test('another key, app id, challenge, counter or origin is refused', () => {
    const otherKey = { publicKey: fromHex(reg.userPublicKeyHex) };
    expect(verifyU2fAuthentication(message, { ...options, credential: otherKey })).toEqual({
      ok: false,
      reason: 'u2f_bad_signature',
    });
    expect(verifyU2fAuthentication(message, { ...options, appId: reg.appId })).toEqual({
      ok: false,
      reason: 'u2f_bad_signature',
    });
    expect(verifyU2fAuthentication(message, { ...options, challenge: reg.challenge })).toEqual({
      ok: false,
      reason: 'u2f_wrong_challenge',
    });
    expect(verifyU2fAuthentication(message, { ...options, origin: ['https://example.com'] })).toEqual({
      ok: false,
      reason: 'u2f_wrong_origin',
    });
    const bumped = message.slice();
    bumped[4] = 2;
    expect(verifyU2fAuthentication(bumped, options)).toEqual({ ok: false, reason: 'u2f_bad_signature' });
  });

  test('the example key signs what we verify (a fresh signature over the same data)', () => {
    // The spec's private key, so the example's public key is really the key that signs.
    const privateKey = createPrivateKey({
      key: Buffer.concat([
        fromHex('30310201010420'),
        fromHex(auth.userPrivateKeyHex),
        fromHex('a00a06082a8648ce3d030107'),
      ]),
      format: 'der',
      type: 'sec1',
    });
    const publicKey = privateKey.export({ format: 'jwk' });
    expect(Buffer.from(publicKey.x as string, 'base64url').toString('hex')).toBe(auth.userPublicKeyHex.slice(2, 66));
  });
});
