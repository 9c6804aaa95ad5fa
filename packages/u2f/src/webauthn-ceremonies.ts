/**
 * @module
 * WebAuthn ceremonies of the virtual key, producing what a browser returns from
 * `navigator.credentials.create()` / `.get()` (WebAuthn Level 3 §5.1.3, §5.1.4) with a U2F key
 * plugged in:
 *
 * - registration: attested credential data with the key handle as credential id (§6.5.1) and
 *   attestation `fido-u2f` (§8.6: the U2F registration signature over
 *   0x00 ‖ rpIdHash ‖ clientDataHash ‖ credentialId ‖ publicKey, the attestation certificate in
 *   x5c), `packed` self attestation (§8.2: the credential key signs authData ‖ clientDataHash),
 *   or `none` (§8.7). Default: `none` unless the options ask for attestation, as browsers do.
 * - authentication: the first allowed credential that is this key's for the RP ID (or, with the
 *   `appid` extension §10.1.1, for the legacy U2F app id), counter advanced, signature over
 *   authData ‖ clientDataHash (§6.3.3).
 *
 * Refusals are thrown as the `DOMException`s a browser rejects with (NotAllowedError,
 * InvalidStateError, NotSupportedError). The key does not play the browser's origin check: a
 * test passes any `origin` (and may force another `rpId`) to check that the server refuses it.
 */

import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { applicationParameter } from './app-param.js';
import { authenticatorData, COSE_ALG_ES256, spkiP256PublicKey } from './authenticator-data.js';
import { base64UrlDecode, base64UrlEncode } from './base64url.js';
import { concatBytes, utf8 } from './bytes.js';
import { encodeCbor } from './cbor.js';
import { encodeDerSignature } from './ecdsa-signature.js';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from './webauthn-json.js';

/** What the ceremonies need of the key (its secrets stay inside the class). */
export interface SecurityKeyCore {
  readonly aaguid: Uint8Array;
  readonly attestationCertificate: Uint8Array;
  counter(): number;
  nextCounter(): number;
  newCredential(appParam: Uint8Array): { keyHandle: Uint8Array; publicKey: Uint8Array; privateKey: Uint8Array };
  unwrap(appParam: Uint8Array, keyHandle: Uint8Array): Uint8Array | undefined;
  attestationSign(data: Uint8Array): Uint8Array;
}

/**
 * The browser's side of a virtual WebAuthn ceremony (`VirtualSecurityKey.getAssertion`, and
 * `createCredential` through `RegistrationCeremonyOptions`): the calling page's origin, and
 * faults. The key does not check the origin against the RP ID as a browser would, so a test can
 * send any origin to see the server refuse it.
 */
export interface CeremonyOptions {
  /** The origin of the page that calls WebAuthn, as the browser writes it into clientDataJSON. */
  readonly origin: string;
  /** Fault: no touch — the UP flag is clear. Default true. */
  readonly userPresent?: boolean;
  /** Fault: the authenticator data names this RP ID instead of the options' (the credential is still looked up under the options' RP ID). */
  readonly rpId?: string;
}

/**
 * Attestation statement formats the virtual key can answer with: `fido-u2f` (WebAuthn Level 3
 * §8.6, the U2F attestation certificate signs), `packed` self attestation (§8.2, the credential key
 * signs) or `none` (§8.7).
 */
export type AttestationFormat = 'fido-u2f' | 'packed' | 'none';

/**
 * The browser's side of a virtual registration (`VirtualSecurityKey.createCredential`):
 * `CeremonyOptions` and the attestation format.
 */
export interface RegistrationCeremonyOptions extends CeremonyOptions {
  /** Attestation statement format. Default: `fido-u2f` when the options ask for attestation, else `none`. */
  readonly attestation?: AttestationFormat;
}

function domError(name: string, message: string): Error {
  return new DOMException(message, name);
}

function effectiveRpId(optionsRpId: string | undefined, origin: string): string {
  if (optionsRpId !== undefined) return optionsRpId;
  try {
    return new URL(origin).hostname;
  } catch {
    throw new TypeError('ceremony.origin must be an origin such as https://example.com');
  }
}

function checkCeremony(ceremony: CeremonyOptions): void {
  if (typeof ceremony !== 'object' || ceremony === null || typeof ceremony.origin !== 'string') {
    throw new TypeError('ceremony.origin is required (the origin of the calling page)');
  }
}

function decodeChallenge(challenge: unknown): string {
  if (typeof challenge !== 'string' || base64UrlDecode(challenge) === undefined) {
    throw new TypeError('options.challenge must be base64url text');
  }
  return challenge;
}

function clientDataJSON(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Uint8Array {
  // Key order and members as browsers serialise CollectedClientData (WebAuthn §5.8.1.1).
  return utf8(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

function credentialIds(list: readonly PublicKeyCredentialDescriptorJSON[] | undefined): Uint8Array[] {
  const ids: Uint8Array[] = [];
  for (const descriptor of list ?? []) {
    if (descriptor?.type !== 'public-key') continue;
    const id = typeof descriptor.id === 'string' ? base64UrlDecode(descriptor.id) : undefined;
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

function signWith(privateKey: Uint8Array, data: Uint8Array): Uint8Array {
  const signature = encodeDerSignature(p256.sign(data, privateKey, { prehash: true }));
  privateKey.fill(0);
  return signature;
}

export function createCredential(
  key: SecurityKeyCore,
  options: PublicKeyCredentialCreationOptionsJSON,
  ceremony: RegistrationCeremonyOptions,
): RegistrationResponseJSON {
  checkCeremony(ceremony);
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required');
  const challenge = decodeChallenge(options.challenge);
  const params = options.pubKeyCredParams ?? [];
  // §5.4: an empty list means the client's defaults, which include ES256.
  if (params.length > 0 && !params.some((param) => param.type === 'public-key' && param.alg === COSE_ALG_ES256)) {
    throw domError('NotSupportedError', 'A U2F security key only has ES256 (P-256) credentials.');
  }
  const selection = options.authenticatorSelection ?? {};
  if (selection.authenticatorAttachment === 'platform') {
    throw domError('NotAllowedError', 'A security key is a cross-platform authenticator.');
  }
  if (selection.residentKey === 'required' || selection.requireResidentKey === true) {
    throw domError('NotAllowedError', 'A U2F security key cannot store discoverable credentials.');
  }
  if (selection.userVerification === 'required') {
    throw domError('NotAllowedError', 'A U2F security key cannot verify the user (no PIN or biometrics).');
  }
  const rpId = effectiveRpId(options.rp?.id, ceremony.origin);
  const rpIdHash = applicationParameter(rpId);
  for (const id of credentialIds(options.excludeCredentials)) {
    const existing = key.unwrap(rpIdHash, id);
    if (existing !== undefined) {
      existing.fill(0);
      throw domError('InvalidStateError', 'This security key is already registered (excludeCredentials).');
    }
  }
  const format: AttestationFormat =
    ceremony.attestation ?? (options.attestation === undefined || options.attestation === 'none' ? 'none' : 'fido-u2f');
  if (!['fido-u2f', 'packed', 'none'].includes(format))
    throw new TypeError('ceremony.attestation must be fido-u2f, packed or none');

  const clientData = clientDataJSON('webauthn.create', challenge, ceremony.origin);
  const clientDataHash = sha256(clientData);
  const credential = key.newCredential(rpIdHash);
  const signedRpIdHash = ceremony.rpId === undefined ? rpIdHash : applicationParameter(ceremony.rpId);
  const authData = authenticatorData({
    rpIdHash: signedRpIdHash,
    userPresent: ceremony.userPresent !== false,
    // U2F registration carries no counter: for fido-u2f (and none, its anonymised form) the client writes 0 (§8.6).
    signCount: format === 'packed' ? key.counter() : 0,
    attested: {
      // fido-u2f has no AAGUID (§8.6); for none the client zeroes it (§5.1.3, attestation conveyance "none").
      aaguid: format === 'packed' ? key.aaguid : new Uint8Array(16),
      credentialId: credential.keyHandle,
      publicKey: credential.publicKey,
    },
  });

  let attestationStatement: Map<string, number | Uint8Array | Uint8Array[]>;
  if (format === 'fido-u2f') {
    const signed = concatBytes(
      Uint8Array.of(0x00),
      signedRpIdHash,
      clientDataHash,
      credential.keyHandle,
      credential.publicKey,
    );
    attestationStatement = new Map<string, Uint8Array | Uint8Array[]>([
      ['sig', key.attestationSign(signed)],
      ['x5c', [key.attestationCertificate]],
    ]);
    credential.privateKey.fill(0);
  } else if (format === 'packed') {
    attestationStatement = new Map<string, number | Uint8Array>([
      ['alg', COSE_ALG_ES256],
      ['sig', signWith(credential.privateKey, concatBytes(authData, clientDataHash))],
    ]);
  } else {
    attestationStatement = new Map();
    credential.privateKey.fill(0);
  }
  // CTAP2 canonical order of the attestation object's keys: "fmt", "attStmt", "authData".
  const attestationObject = encodeCbor(
    new Map<string, string | Uint8Array | Map<string, number | Uint8Array | Uint8Array[]>>([
      ['fmt', format],
      ['attStmt', attestationStatement],
      ['authData', authData],
    ]),
  );
  const id = base64UrlEncode(credential.keyHandle);
  return {
    id,
    rawId: id,
    type: 'public-key',
    response: {
      clientDataJSON: base64UrlEncode(clientData),
      attestationObject: base64UrlEncode(attestationObject),
      authenticatorData: base64UrlEncode(authData),
      transports: ['usb'],
      publicKeyAlgorithm: COSE_ALG_ES256,
      publicKey: base64UrlEncode(spkiP256PublicKey(credential.publicKey)),
    },
    authenticatorAttachment: 'cross-platform',
    clientExtensionResults: {},
  };
}

export function getAssertion(
  key: SecurityKeyCore,
  options: PublicKeyCredentialRequestOptionsJSON,
  ceremony: CeremonyOptions,
): AuthenticationResponseJSON {
  checkCeremony(ceremony);
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required');
  const challenge = decodeChallenge(options.challenge);
  if (options.userVerification === 'required') {
    throw domError('NotAllowedError', 'A U2F security key cannot verify the user (no PIN or biometrics).');
  }
  const allowed = credentialIds(options.allowCredentials);
  if (allowed.length === 0) {
    throw domError(
      'NotAllowedError',
      'A U2F security key has no discoverable credentials: allowCredentials is required.',
    );
  }
  const rpIdHash = applicationParameter(effectiveRpId(options.rpId, ceremony.origin));
  const appIdHash =
    typeof options.extensions?.appid === 'string' ? applicationParameter(options.extensions.appid) : undefined;
  for (const credentialId of allowed) {
    let usedAppId = false;
    let privateKey = key.unwrap(rpIdHash, credentialId);
    if (privateKey === undefined && appIdHash !== undefined) {
      privateKey = key.unwrap(appIdHash, credentialId);
      usedAppId = privateKey !== undefined;
    }
    if (privateKey === undefined) continue;
    const scope = usedAppId ? (appIdHash as Uint8Array) : rpIdHash;
    const clientData = clientDataJSON('webauthn.get', challenge, ceremony.origin);
    const authData = authenticatorData({
      rpIdHash: ceremony.rpId === undefined ? scope : applicationParameter(ceremony.rpId),
      userPresent: ceremony.userPresent !== false,
      signCount: key.nextCounter(),
    });
    const signature = signWith(privateKey, concatBytes(authData, sha256(clientData)));
    const id = base64UrlEncode(credentialId);
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: base64UrlEncode(clientData),
        authenticatorData: base64UrlEncode(authData),
        signature: base64UrlEncode(signature),
      },
      authenticatorAttachment: 'cross-platform',
      clientExtensionResults: appIdHash === undefined ? {} : { appid: usedAppId },
    };
  }
  throw domError('NotAllowedError', 'None of the allowed credentials belongs to this security key for this RP ID.');
}
