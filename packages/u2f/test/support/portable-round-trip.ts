/**
 * A whole raw U2F and WebAuthn round trip through @mfakit/u2f's root entry, bundled for the
 * browser by browser-bundle.test.ts and run where only Web globals exist.
 */
import { base64UrlEncode, VirtualSecurityKey, verifyU2fAuthentication, verifyU2fRegistration } from '@mfakit/u2f';

export function runRoundTrip(): Record<string, unknown> {
  const appId = 'https://example.com';
  const origin = 'https://example.com';
  const key = VirtualSecurityKey.create();
  const registration = key.u2fRegisterResponse({ appId, challenge: 'cmVnaXN0ZXI', origin });
  const credential = verifyU2fRegistration(registration.registrationData, {
    appId,
    clientData: registration.clientData,
    challenge: 'cmVnaXN0ZXI',
    origin,
  });
  const signIn = key.u2fSignResponse({ appId, challenge: 'c2lnbg', origin, keyHandle: credential.keyHandle });
  const verified = signIn.answer.ok
    ? verifyU2fAuthentication(signIn.answer.response, {
        appId,
        clientData: signIn.clientData,
        challenge: 'c2lnbg',
        origin,
        credential,
      })
    : signIn.answer;
  const wrongApp = key.u2fSignResponse({
    appId: 'https://evil.example',
    challenge: 'c2lnbg',
    origin,
    keyHandle: credential.keyHandle,
  });
  const created = key.createCredential(
    {
      rp: { id: 'example.com', name: 'Example' },
      user: { id: 'dXNlcg', name: 'alice', displayName: 'Alice' },
      challenge: 'Y3JlYXRl',
      pubKeyCredParams: [{ alg: -7, type: 'public-key' }],
      attestation: 'direct',
    },
    { origin },
  );
  const assertion = key.getAssertion(
    { challenge: 'Z2V0', rpId: 'example.com', allowCredentials: [{ id: created.id, type: 'public-key' }] },
    { origin },
  );
  let refusal = 'none';
  try {
    key.getAssertion(
      { challenge: 'Z2V0', rpId: 'other.example', allowCredentials: [{ id: created.id, type: 'public-key' }] },
      { origin },
    );
  } catch (error) {
    refusal = (error as { name: string }).name;
  }
  return {
    verified,
    wrongApp: wrongApp.answer.ok ? 'signed' : wrongApp.answer.statusWord,
    createdIdLength: created.id.length,
    assertionSignatureLength: assertion.response.signature.length > 0,
    refusal,
    counter: key.counter,
    restoredCounter: VirtualSecurityKey.fromJSON(JSON.parse(JSON.stringify(key))).counter,
    certificate: base64UrlEncode(key.attestationCertificate).length > 100,
  };
}
