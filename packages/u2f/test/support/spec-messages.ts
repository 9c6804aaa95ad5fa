/** The spec's example messages (vectors/u2f-spec-examples.json) with the options that verify them. */

import vectors from '../vectors/u2f-spec-examples.json' with { type: 'json' };
import { fromHex, utf8 } from './hex.js';

export const registrationMessage = (): Uint8Array => fromHex(vectors.registration.responseHex);
export const authenticationMessage = (): Uint8Array => fromHex(vectors.authentication.responseHex);

export const registrationOptions = {
  appId: vectors.registration.appId,
  clientData: utf8(vectors.registration.clientData),
  challenge: vectors.registration.challenge,
  origin: vectors.registration.origin,
};

export const authenticationOptions = {
  appId: vectors.authentication.appId,
  clientData: utf8(vectors.authentication.clientData),
  challenge: vectors.authentication.challenge,
  origin: vectors.authentication.origin,
  credential: { publicKey: fromHex(vectors.authentication.userPublicKeyHex) },
};

/** Offsets in the registration example: 0x05, key (1..65), L (66), handle (67..130), certificate, signature. */
export const KEY_HANDLE_OFFSET = 67;
export const CERTIFICATE_OFFSET = 67 + 64;
export const CERTIFICATE_LENGTH = fromHex(vectors.registration.attestationCertificateHex).length;
export const SIGNATURE_OFFSET = CERTIFICATE_OFFSET + CERTIFICATE_LENGTH;
