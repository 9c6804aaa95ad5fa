/**
 * Every WebAuthn ceremony of the virtual key verifies with @simplewebauthn/server 14, for each
 * attestation format; each fault switch makes the server refuse.
 */
import { type AttestationFormat, VirtualSecurityKey } from '@mfakit/u2f';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { describe, expect, test } from 'vitest';
import { fromHex } from './support/hex.js';

const rpID = 'example.com';
const origin = 'https://example.com';

async function register(key: VirtualSecurityKey, attestation: AttestationFormat) {
  const options = await generateRegistrationOptions({
    rpName: 'Example',
    rpID,
    userName: 'alice@example.com',
    attestationType: attestation === 'none' ? 'none' : 'direct',
  });
  const response = key.createCredential(options, { origin, attestation });
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: false,
  });
  return { options, response, verification };
}

async function signIn(
  key: VirtualSecurityKey,
  credential: WebAuthnCredential,
  ceremony: { origin?: string; rpId?: string; userPresent?: boolean } = {},
) {
  const options = await generateAuthenticationOptions({
    rpID,
    allowCredentials: [{ id: credential.id }],
    userVerification: 'discouraged',
  });
  const response = key.getAssertion(options, { origin, ...ceremony });
  return verifyAuthenticationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    credential,
    requireUserVerification: false,
  });
}

async function enrolled(attestation: AttestationFormat = 'fido-u2f') {
  const key = VirtualSecurityKey.create();
  const { verification } = await register(key, attestation);
  if (!verification.verified) throw new Error('registration did not verify');
  return { key, credential: { ...verification.registrationInfo.credential } };
}

describe.each(['fido-u2f', 'packed', 'none'] as const)('attestation %s', (format) => {
  test('registration verifies, with the format, the key handle as credential id and a P-256 COSE key', async () => {
    const key = VirtualSecurityKey.create();
    const { response, verification } = await register(key, format);
    expect(verification.verified).toBe(true);
    const info = verification.registrationInfo;
    expect(info?.fmt).toBe(format);
    expect(info?.credential.id).toBe(response.id);
    expect(info?.credentialDeviceType).toBe('singleDevice');
    expect(info?.userVerified).toBe(false);
    expect(info?.origin).toBe(origin);
    expect(info?.rpID).toBe(rpID);
  });

  test('sign-ins verify and the counter grows by one each time', async () => {
    const { key, credential } = await enrolled(format);
    for (let expected = 1; expected <= 3; expected++) {
      const result = await signIn(key, credential);
      expect(result.verified).toBe(true);
      expect(result.authenticationInfo.newCounter).toBe(expected);
      credential.counter = result.authenticationInfo.newCounter;
    }
  });
});

test('the counter is global: credentials of one key share it', async () => {
  const key = VirtualSecurityKey.create();
  const first = await register(key, 'none');
  const second = await register(key, 'none');
  if (!first.verification.verified || !second.verification.verified) throw new Error('not registered');
  const a = await signIn(key, first.verification.registrationInfo.credential);
  const b = await signIn(key, second.verification.registrationInfo.credential);
  expect([a.authenticationInfo.newCounter, b.authenticationInfo.newCounter]).toEqual([1, 2]);
});

describe('fault switches make the server refuse', () => {
  test('a cloned key repeats the counter stream: the second use of a counter value is refused', async () => {
    const { key, credential } = await enrolled();
    const clone = key.clone();
    const original = await signIn(key, credential);
    expect(original.authenticationInfo.newCounter).toBe(1);
    credential.counter = 1;
    await expect(signIn(clone, credential)).rejects.toThrow(/counter/i);
  });

  test('a counter reset is refused', async () => {
    const { key, credential } = await enrolled();
    for (let i = 0; i < 3; i++) credential.counter = (await signIn(key, credential)).authenticationInfo.newCounter;
    key.resetCounter();
    await expect(signIn(key, credential)).rejects.toThrow(/counter/i);
  });

  test('no user presence is refused, at registration and at sign-in', async () => {
    const key = VirtualSecurityKey.create();
    const options = await generateRegistrationOptions({ rpName: 'Example', rpID, userName: 'alice' });
    const response = key.createCredential(options, { origin, userPresent: false });
    await expect(
      verifyRegistrationResponse({
        response,
        expectedChallenge: options.challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
      }),
    ).rejects.toThrow(/present/i);
    const { key: enrolledKey, credential } = await enrolled();
    await expect(signIn(enrolledKey, credential, { userPresent: false })).rejects.toThrow(/present/i);
  });

  test('a wrong origin or RP ID is refused', async () => {
    const { key, credential } = await enrolled();
    await expect(signIn(key, credential, { origin: 'https://examp1e.com' })).rejects.toThrow(/origin/i);
    await expect(signIn(key, credential, { rpId: 'examp1e.com' })).rejects.toThrow(/RP ID/i);
  });
});

describe('what the key refuses, as a browser would', () => {
  test('a credential of another RP ID or another key is not found: NotAllowedError', async () => {
    const { key, credential } = await enrolled();
    const options = await generateAuthenticationOptions({
      rpID: 'other.example',
      allowCredentials: [{ id: credential.id }],
    });
    expect(() => key.getAssertion(options, { origin: 'https://other.example' })).toThrow(
      expect.objectContaining({ name: 'NotAllowedError' }),
    );
    const stranger = VirtualSecurityKey.create();
    const mine = await generateAuthenticationOptions({ rpID, allowCredentials: [{ id: credential.id }] });
    expect(() => stranger.getAssertion(mine, { origin })).toThrow(expect.objectContaining({ name: 'NotAllowedError' }));
  });

  test('excludeCredentials naming one of its credentials: InvalidStateError', async () => {
    const { key, credential } = await enrolled();
    const options = await generateRegistrationOptions({
      rpName: 'Example',
      rpID,
      userName: 'alice',
      excludeCredentials: [{ id: credential.id }],
    });
    expect(() => key.createCredential(options, { origin })).toThrow(
      expect.objectContaining({ name: 'InvalidStateError' }),
    );
  });

  test('user verification or a discoverable credential required: NotAllowedError', async () => {
    const key = VirtualSecurityKey.create();
    const uv = await generateRegistrationOptions({
      rpName: 'Example',
      rpID,
      userName: 'alice',
      authenticatorSelection: { userVerification: 'required' },
    });
    expect(() => key.createCredential(uv, { origin })).toThrow(expect.objectContaining({ name: 'NotAllowedError' }));
    const resident = await generateRegistrationOptions({
      rpName: 'Example',
      rpID,
      userName: 'alice',
      authenticatorSelection: { residentKey: 'required' },
    });
    expect(() => key.createCredential(resident, { origin })).toThrow(
      expect.objectContaining({ name: 'NotAllowedError' }),
    );
  });

  test('no ES256 in pubKeyCredParams: NotSupportedError', async () => {
    const key = VirtualSecurityKey.create();
    const options = await generateRegistrationOptions({
      rpName: 'Example',
      rpID,
      userName: 'alice',
      supportedAlgorithmIDs: [-257],
    });
    expect(() => key.createCredential(options, { origin })).toThrow(
      expect.objectContaining({ name: 'NotSupportedError' }),
    );
  });
});

test('the appid extension: a key registered over raw U2F signs in through WebAuthn', async () => {
  const key = VirtualSecurityKey.create();
  const appId = 'https://example.com/u2f-app-id.json';
  const { registrationData } = key.u2fRegisterResponse({ appId, challenge: 'AAAA', origin });
  const keyHandle = registrationData.subarray(67, 67 + (registrationData[66] as number));
  const publicKey = registrationData.subarray(1, 66);
  const options = await generateAuthenticationOptions({
    rpID,
    allowCredentials: [{ id: Buffer.from(keyHandle).toString('base64url') }],
  });
  const response = key.getAssertion({ ...options, extensions: { appid: appId } }, { origin });
  expect(response.clientExtensionResults).toEqual({ appid: true });
  // COSE_Key EC2 P-256 ES256 (RFC 9053 §7.1.1): map(5) {1: 2, 3: -7, -1: 1, -2: x, -3: y}.
  const cose = new Uint8Array([
    ...fromHex('a5010203262001215820'),
    ...publicKey.subarray(1, 33),
    0x22,
    0x58,
    0x20,
    ...publicKey.subarray(33),
  ]);
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    // With appid the authenticator data carries SHA-256(appId): the server expects that hash.
    expectedRPID: [rpID, appId],
    credential: { id: response.id, publicKey: cose, counter: 0 },
    requireUserVerification: false,
  });
  expect(result.verified).toBe(true);
});
