import { VirtualSecurityKey, verifyU2fAuthentication, verifyU2fRegistration } from '@mfakit/u2f';

const appId = 'https://example.com';
const origin = 'https://example.com';

// In a test, a virtual key plays the user's security key and the U2F client in front of it.
const key = VirtualSecurityKey.create();

// Registration. The server issues a random, single-use challenge; the client returns the key's
// registration message and the client data it signed over.
const registrationChallenge = 'Zmlyc3QtY2hhbGxlbmdl';
const registration = key.u2fRegisterResponse({ appId, challenge: registrationChallenge, origin });
const credential = verifyU2fRegistration(registration.registrationData, {
  appId,
  clientData: registration.clientData,
  challenge: registrationChallenge,
  origin,
});
// The server stores credential.keyHandle and credential.publicKey (and a sign counter, 0).

// Sign-in with that key handle: the key signs the challenge and its counter.
const signInChallenge = 'c2Vjb25kLWNoYWxsZW5nZQ';
const signIn = key.u2fSignResponse({ appId, challenge: signInChallenge, origin, keyHandle: credential.keyHandle });
if (!signIn.answer.ok) throw new Error(`the key refused: status ${signIn.answer.statusWord.toString(16)}`);
const result = verifyU2fAuthentication(signIn.answer.response, {
  appId,
  clientData: signIn.clientData,
  challenge: signInChallenge,
  origin,
  credential,
});
console.log(result); // { ok: true, counter: 1, userPresent: true } — store the counter if it grew

// The same handle under another app id is not this key's: status 0x6A80 "wrong data", no signature.
const phished = key.u2fSignResponse({
  appId: 'https://examp1e.com',
  challenge: signInChallenge,
  origin,
  keyHandle: credential.keyHandle,
});
console.log(phished.answer); // { ok: false, statusWord: 27264, reason: 'wrong_data' }
