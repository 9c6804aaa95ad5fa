/** The virtual key's ceremonies pass `@mfakit/u2f/webauthn`, and its faults get their typed reasons. */
import { type AttestationFormat, VirtualSecurityKey } from '@mfakit/u2f';
import { verifySecurityKeyAssertion, verifySecurityKeyRegistration } from '@mfakit/u2f/webauthn';
import { generateAuthenticationOptions, generateRegistrationOptions } from '@simplewebauthn/server';
import { expect, test } from 'vitest';

const rpId = 'example.com';
const origin = 'https://example.com';

async function enroll(key: VirtualSecurityKey, attestation: AttestationFormat) {
  const options = await generateRegistrationOptions({ rpName: 'Example', rpID: rpId, userName: 'alice' });
  const response = key.createCredential(options, { origin, attestation });
  return verifySecurityKeyRegistration(response, { challenge: options.challenge, origin, rpId });
}

async function assertWith(
  key: VirtualSecurityKey,
  credential: { id: string; publicKey: Uint8Array; signCount: number },
  fault: { userPresent?: boolean; origin?: string; rpId?: string } = {},
) {
  const options = await generateAuthenticationOptions({ rpID: rpId, allowCredentials: [{ id: credential.id }] });
  const response = key.getAssertion(options, { origin, ...fault });
  return verifySecurityKeyAssertion(response, { challenge: options.challenge, origin, rpId, credential });
}

test.each(['fido-u2f', 'packed', 'none'] as const)('%s: register, then sign in three times', async (format) => {
  const key = VirtualSecurityKey.create();
  const stored = await enroll(key, format);
  expect(stored).toMatchObject({ attestationFormat: format, transports: ['usb'], signCount: 0 });
  let signCount = stored.signCount;
  for (let i = 1; i <= 3; i++) {
    const result = await assertWith(key, { ...stored, signCount });
    expect(result).toEqual({ ok: true, signCount: i, userVerified: false });
    if (result.ok) signCount = result.signCount;
  }
});

test('faults: clone, counter reset, no presence, wrong origin, wrong RP ID', async () => {
  const key = VirtualSecurityKey.create();
  const stored = await enroll(key, 'fido-u2f');
  const clone = key.clone();
  const first = await assertWith(key, stored);
  expect(first).toMatchObject({ ok: true, signCount: 1 });
  const credential = { ...stored, signCount: 1 };
  expect(await assertWith(clone, credential)).toEqual({ ok: false, reason: 'webauthn_counter_regression' });
  key.resetCounter(0);
  expect(await assertWith(key, credential)).toEqual({ ok: false, reason: 'webauthn_counter_regression' });
  expect(await assertWith(key, credential, { userPresent: false })).toEqual({
    ok: false,
    reason: 'webauthn_user_not_present',
  });
  expect(await assertWith(key, credential, { origin: 'https://examp1e.com' })).toEqual({
    ok: false,
    reason: 'webauthn_wrong_origin',
  });
  expect(await assertWith(key, credential, { rpId: 'examp1e.com' })).toEqual({
    ok: false,
    reason: 'webauthn_wrong_rp_id',
  });
});

test('a response for another key’s credential is refused as wrong credential', async () => {
  const alice = await enroll(VirtualSecurityKey.create(), 'none');
  const bobKey = VirtualSecurityKey.create();
  const bob = await enroll(bobKey, 'none');
  const options = await generateAuthenticationOptions({ rpID: rpId, allowCredentials: [{ id: bob.id }] });
  const response = bobKey.getAssertion(options, { origin });
  expect(
    await verifySecurityKeyAssertion(response, { challenge: options.challenge, origin, rpId, credential: alice }),
  ).toEqual({
    ok: false,
    reason: 'webauthn_wrong_credential',
  });
});

test('registration faults: no presence, another origin or RP ID, get instead of create — each its typed reason', async () => {
  const key = VirtualSecurityKey.create();
  const options = await generateRegistrationOptions({ rpName: 'Example', rpID: rpId, userName: 'alice' });
  const expected = { challenge: options.challenge, origin, rpId };
  const refused = (code: string) => expect.objectContaining({ name: 'MfaError', code });
  await expect(
    verifySecurityKeyRegistration(key.createCredential(options, { origin, userPresent: false }), expected),
  ).rejects.toThrow(refused('webauthn_user_not_present'));
  await expect(
    verifySecurityKeyRegistration(key.createCredential(options, { origin: 'https://examp1e.com' }), expected),
  ).rejects.toThrow(refused('webauthn_wrong_origin'));
  await expect(
    verifySecurityKeyRegistration(key.createCredential(options, { origin, rpId: 'examp1e.com' }), expected),
  ).rejects.toThrow(refused('webauthn_wrong_rp_id'));
  const stored = await verifySecurityKeyRegistration(key.createCredential(options, { origin }), expected);
  const request = await generateAuthenticationOptions({ rpID: rpId, allowCredentials: [{ id: stored.id }] });
  const assertion = key.getAssertion({ ...request, challenge: options.challenge }, { origin });
  await expect(
    verifySecurityKeyRegistration(
      { ...assertion, response: { ...assertion.response, attestationObject: '' } },
      expected,
    ),
  ).rejects.toThrow(refused('webauthn_wrong_type'));
});

test('the AAGUID: the key’s own in packed, zeros in fido-u2f and none', async () => {
  const aaguid = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  const key = VirtualSecurityKey.create({ aaguid });
  expect((await enroll(key, 'packed')).aaguid).toBe('01020304-0506-0708-090a-0b0c0d0e0f10');
  expect((await enroll(key, 'fido-u2f')).aaguid).toBe('00000000-0000-0000-0000-000000000000');
  expect((await enroll(key, 'none')).aaguid).toBe('00000000-0000-0000-0000-000000000000');
});
