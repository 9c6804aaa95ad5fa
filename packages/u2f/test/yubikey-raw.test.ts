/**
 * A real YubiKey's raw U2F registration and sign-ins, recorded in Yubico's libu2f-server test
 * suite (see vectors/yubikey-raw-u2f.json: repository, commit, file and variables), verified by
 * our verifiers and node:crypto. Its attestation certificate carries the well-known quirk of early
 * YubiKeys (1 unused bit declared in the certificate's RSA signature BIT STRING), which must not
 * stop the registration.
 */
import { base64UrlDecode, nobleP256Verify, verifyU2fAuthentication, verifyU2fRegistration } from '@mfakit/u2f';
import { nodeP256Verify } from '@mfakit/u2f/node';
import { describe, expect, test } from 'vitest';
import recorded from './vectors/yubikey-raw-u2f.json' with { type: 'json' };

const bytes = (text: string): Uint8Array => {
  const decoded = base64UrlDecode(text);
  if (decoded === undefined) throw new Error('bad base64url in fixture');
  return decoded;
};
const { appId, origin } = recorded;

describe.each([
  ['@noble/curves', nobleP256Verify],
  ['node:crypto', nodeP256Verify],
])('with %s', (_name, verifyP256) => {
  const registration = verifyU2fRegistration(bytes(recorded.registration.registrationData), {
    appId,
    origin,
    challenge: recorded.registration.challenge,
    clientData: bytes(recorded.registration.clientData),
    verifyP256,
  });

  test('the registration verifies and gives the key handle the sign-ins use', () => {
    expect(registration.keyHandle).toEqual(bytes(recorded.authentications[0]?.keyHandle as string));
    expect(registration.publicKey[0]).toBe(0x04);
    const certificate = registration.attestationCertificate;
    expect(certificate.length).toBeGreaterThan(500);
  });

  const signIn = (entry: (typeof recorded.authentications)[0]) =>
    verifyU2fAuthentication(bytes(entry.signatureData), {
      appId,
      origin,
      challenge: entry.challenge,
      clientData: bytes(entry.clientData),
      credential: registration,
      verifyP256,
    });

  test('AUTH_RESPONSE1 verifies: counter 51, user present', () => {
    expect(signIn(recorded.authentications[0] as (typeof recorded.authentications)[0])).toEqual({
      ok: true,
      counter: 0x33,
      userPresent: true,
    });
  });

  test('AUTH_RESPONSE1’s signature has s > n/2: requireLowS would refuse this genuine sign-in', () => {
    const entry = recorded.authentications[0] as (typeof recorded.authentications)[0];
    expect(
      verifyU2fAuthentication(bytes(entry.signatureData), {
        appId,
        origin,
        challenge: entry.challenge,
        clientData: bytes(entry.clientData),
        credential: registration,
        verifyP256,
        requireLowS: true,
      }),
    ).toEqual({ ok: false, reason: 'u2f_signature_out_of_range' });
  });

  test('AUTH_RESPONSE2 (counter 92, the same client data) does not verify under the registered key', () => {
    // libu2f-server only uses it in a run that must fail; both ECDSA implementations refuse its signature.
    expect(signIn(recorded.authentications[1] as (typeof recorded.authentications)[0])).toEqual({
      ok: false,
      reason: 'u2f_bad_signature',
    });
  });

  test('another challenge or app id is refused', () => {
    const entry = recorded.authentications[0] as (typeof recorded.authentications)[0];
    const options = { appId, origin, clientData: bytes(entry.clientData), credential: registration, verifyP256 };
    expect(verifyU2fAuthentication(bytes(entry.signatureData), { ...options, challenge: 'abcd' })).toEqual({
      ok: false,
      reason: 'u2f_wrong_challenge',
    });
    expect(
      verifyU2fAuthentication(bytes(entry.signatureData), {
        ...options,
        challenge: entry.challenge,
        appId: 'https://yubico.com',
      }),
    ).toEqual({ ok: false, reason: 'u2f_bad_signature' });
  });
});

test('the certificate quirk is there: its signature BIT STRING declares 1 unused bit', () => {
  const message = bytes(recorded.registration.registrationData);
  const certificate = verifyU2fRegistration(message, {
    appId,
    origin,
    challenge: recorded.registration.challenge,
    clientData: bytes(recorded.registration.clientData),
  }).attestationCertificate;
  // … 30 0b 06 09 2a864886f70d01010b (sha256WithRSAEncryption, no NULL) 03 82 01 01 01 …
  const at = Buffer.from(certificate).lastIndexOf(Buffer.from('2a864886f70d01010b0382010101', 'hex'));
  expect(at).toBeGreaterThan(0);
});
