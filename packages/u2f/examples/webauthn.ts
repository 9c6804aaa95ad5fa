import { VirtualSecurityKey } from '@mfakit/u2f';
import { verifySecurityKeyAssertion, verifySecurityKeyRegistration } from '@mfakit/u2f/webauthn';
import { generateAuthenticationOptions, generateRegistrationOptions } from '@simplewebauthn/server';

const rpId = 'example.com';
const origin = 'https://example.com';
const key = VirtualSecurityKey.create();

// Registration: the options a server sends, the response the browser would return with this key.
const creation = await generateRegistrationOptions({
  rpName: 'Example',
  rpID: rpId,
  userName: 'alice@example.com',
  attestationType: 'direct',
});
const stored = await verifySecurityKeyRegistration(key.createCredential(creation, { origin }), {
  challenge: creation.challenge,
  origin,
  rpId,
});
console.log(stored.attestationFormat, stored.signCount); // fido-u2f 0 — store id, publicKey, signCount

// Sign-in.
const request = await generateAuthenticationOptions({ rpID: rpId, allowCredentials: [{ id: stored.id }] });
const signIn = await verifySecurityKeyAssertion(key.getAssertion(request, { origin }), {
  challenge: request.challenge,
  origin,
  rpId,
  credential: stored,
});
console.log(signIn); // { ok: true, signCount: 1, userVerified: false }

// A clone of the key repeats its counter: the server sees the counter did not grow.
const clone = key.clone();
key.getAssertion(request, { origin }); // the original signs in again (counter 2) …
const again = await generateAuthenticationOptions({ rpID: rpId, allowCredentials: [{ id: stored.id }] });
const cloned = await verifySecurityKeyAssertion(clone.getAssertion(again, { origin }), {
  challenge: again.challenge,
  origin,
  rpId,
  credential: { ...stored, signCount: 2 },
});
console.log(cloned); // { ok: false, reason: 'webauthn_counter_regression' }
