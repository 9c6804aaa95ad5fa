/**
 * @module
 * `VirtualSecurityKey`: a FIDO U2F security key in a test. It holds three secrets — a wrapping
 * key, an attestation key and its self-signed certificate — and one global sign counter; each
 * credential's private key travels inside its key handle (see key-handle.ts), so the key keeps
 * no per-credential state and any number of registrations cost nothing to store.
 *
 * It answers raw U2F messages (FIDO U2F Raw Message Formats v1.2 §4, §5) — what a native client
 * sends over CTAP1 — and WebAuthn ceremonies (webauthn-ceremonies.ts), as a browser would with
 * this key plugged in. Fault switches make a misbehaving key: `clone()` (a copy with the same
 * counter stream), `resetCounter()`, `{ userPresent: false }`, and ceremonies for another origin
 * or RP ID.
 *
 * `toJSON()` carries the key's secrets (it is how a test saves a key); `String(key)` and
 * `util.inspect(key)` never do.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes as cryptoRandomBytes } from '@noble/hashes/utils.js';
import { applicationParameter } from './app-param.js';
import { base64UrlDecode, base64UrlEncode } from './base64url.js';
import { assertBytesOfLength, concatBytes, isBytes, uint32BigEndian } from './bytes.js';
import { U2F_AUTHENTICATION_TYP, U2F_REGISTRATION_TYP, type U2fClientRequest, u2fClientData } from './client-data.js';
import { encodeDerSignature } from './ecdsa-signature.js';
import { unwrapPrivateKey, wrapPrivateKey } from './key-handle.js';
import { selfSignedAttestationCertificate } from './self-signed-certificate.js';
import {
  type CeremonyOptions,
  createCredential,
  getAssertion,
  type RegistrationCeremonyOptions,
  type SecurityKeyCore,
} from './webauthn-ceremonies.js';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from './webauthn-json.js';

/**
 * Status word 0x9000, "no error" (ISO 7816-4 status words of U2F, Raw Message Formats §3.3): the
 * request succeeded.
 */
export const SW_NO_ERROR = 0x9000;
/**
 * Status word 0x6A80, "wrong data" (§3.3): the key handle was not made by this key for this
 * application parameter — a client then tries its next key.
 */
export const SW_WRONG_DATA = 0x6a80;
/** "Conditions not satisfied": for check-only (§5.1, control byte 0x07) it means "this handle is mine". */
export const SW_CONDITIONS_NOT_SATISFIED = 0x6985;

/** The answer to an authentication request: a response message, or "wrong data" (not our handle for this app). */
export type U2fKeyAnswer =
  | { readonly ok: true; readonly statusWord: typeof SW_NO_ERROR; readonly response: Uint8Array }
  | { readonly ok: false; readonly statusWord: typeof SW_WRONG_DATA; readonly reason: 'wrong_data' };

/**
 * Options of `VirtualSecurityKey.create`. A seeded `randomBytes` makes a key and its credentials
 * reproducible in a test (signatures are deterministic, RFC 6979).
 */
export interface VirtualSecurityKeyOptions {
  /** Source of randomness (key pairs, handles' nonces, secrets). Default: `crypto.getRandomValues`. */
  readonly randomBytes?: (length: number) => Uint8Array;
  /** AAGUID in `packed` registrations (16 bytes; `fido-u2f` and `none` carry zeros). Default: all zero, as U2F keys. */
  readonly aaguid?: Uint8Array;
}

/** The serialised key (`toJSON`/`fromJSON`). Contains secrets: store it as you would a private key. */
export interface VirtualSecurityKeyState {
  readonly format: 'mfakit-virtual-security-key';
  readonly version: 1;
  readonly wrappingKey: string;
  readonly attestationKey: string;
  readonly attestationCertificate: string;
  readonly aaguid: string;
  readonly counter: number;
}

const MAX_COUNTER = 0xffffffff;
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

function decodeStateField(value: unknown, name: string, length?: number): Uint8Array {
  const bytes = typeof value === 'string' ? base64UrlDecode(value) : undefined;
  if (bytes === undefined || (length !== undefined && bytes.length !== length)) {
    throw new TypeError(`state.${name} must be ${length === undefined ? '' : `${length} bytes of `}base64url`);
  }
  return bytes;
}

/**
 * A FIDO U2F security key for tests. It answers raw U2F messages (`register`, `authenticate`,
 * `checkOnly`; FIDO U2F Raw Message Formats §4, §5) and WebAuthn ceremonies (`createCredential`,
 * `getAssertion`; WebAuthn Level 3 §5.1.3, §5.1.4) with real P-256 signatures that this package's
 * verifiers and @simplewebauthn/server accept. Fault switches — `clone()`, `resetCounter()`,
 * `userPresent: false`, another origin or RP ID — make a misbehaving key.
 *
 * Make one with `VirtualSecurityKey.create()` or restore one with `VirtualSecurityKey.fromJSON()`.
 * Not a security boundary: its secrets are in process memory and in `toJSON()`.
 */
export class VirtualSecurityKey {
  readonly #wrappingKey: Uint8Array;
  readonly #attestationKey: Uint8Array;
  readonly #randomBytes: (length: number) => Uint8Array;
  /** The self-signed attestation certificate (DER). */
  readonly attestationCertificate: Uint8Array;
  /** AAGUID of `packed` registrations. */
  readonly aaguid: Uint8Array;
  #counter: number;

  private constructor(
    secrets: { wrappingKey: Uint8Array; attestationKey: Uint8Array; attestationCertificate: Uint8Array },
    aaguid: Uint8Array,
    counter: number,
    random: (length: number) => Uint8Array,
  ) {
    this.#wrappingKey = secrets.wrappingKey;
    this.#attestationKey = secrets.attestationKey;
    this.attestationCertificate = secrets.attestationCertificate;
    this.aaguid = aaguid;
    this.#counter = counter;
    this.#randomBytes = random;
  }

  /** A new key with fresh secrets and counter 0. */
  static create(options: VirtualSecurityKeyOptions = {}): VirtualSecurityKey {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const random = options.randomBytes ?? cryptoRandomBytes;
    if (typeof random !== 'function') throw new TypeError('options.randomBytes must be a function');
    const aaguid = options.aaguid ?? new Uint8Array(16);
    assertBytesOfLength(aaguid, 16, 'options.aaguid');
    const attestationKey = p256.utils.randomSecretKey(random(48));
    // A positive serial number of 16 random bytes (RFC 5280 §4.1.2.2 allows up to 20).
    const serial = concatBytes(Uint8Array.of(0x01), random(15));
    return new VirtualSecurityKey(
      {
        wrappingKey: random(32),
        attestationKey,
        attestationCertificate: selfSignedAttestationCertificate(attestationKey, serial),
      },
      aaguid.slice(),
      0,
      random,
    );
  }

  /** A key saved with `toJSON()`. */
  static fromJSON(
    state: VirtualSecurityKeyState,
    options: Pick<VirtualSecurityKeyOptions, 'randomBytes'> = {},
  ): VirtualSecurityKey {
    if (
      typeof state !== 'object' ||
      state === null ||
      state.format !== 'mfakit-virtual-security-key' ||
      state.version !== 1
    ) {
      throw new TypeError('state is not a saved VirtualSecurityKey (format mfakit-virtual-security-key, version 1)');
    }
    if (!Number.isInteger(state.counter) || state.counter < 0 || state.counter > MAX_COUNTER) {
      throw new TypeError('state.counter must be an integer from 0 to 2^32 - 1');
    }
    const attestationKey = decodeStateField(state.attestationKey, 'attestationKey', 32);
    if (!p256.utils.isValidSecretKey(attestationKey))
      throw new TypeError('state.attestationKey is not a P-256 private key');
    return new VirtualSecurityKey(
      {
        wrappingKey: decodeStateField(state.wrappingKey, 'wrappingKey', 32),
        attestationKey,
        attestationCertificate: decodeStateField(state.attestationCertificate, 'attestationCertificate'),
      },
      decodeStateField(state.aaguid, 'aaguid', 16),
      state.counter,
      options.randomBytes ?? cryptoRandomBytes,
    );
  }

  /**
   * The key's whole state, secrets included (wrapping key and attestation private key, base64url):
   * how a test saves a key for `fromJSON`. `JSON.stringify(key)` calls it, so never log a key that
   * way; `String(key)` and `util.inspect(key)` show no secret.
   */
  toJSON(): VirtualSecurityKeyState {
    return {
      format: 'mfakit-virtual-security-key',
      version: 1,
      wrappingKey: base64UrlEncode(this.#wrappingKey),
      attestationKey: base64UrlEncode(this.#attestationKey),
      attestationCertificate: base64UrlEncode(this.attestationCertificate),
      aaguid: base64UrlEncode(this.aaguid),
      counter: this.#counter,
    };
  }

  /** The global sign counter: the value of the last authentication (0 before any). */
  get counter(): number {
    return this.#counter;
  }

  /** Fault: a copy of this key — same secrets, same counter — that goes on independently. */
  clone(): VirtualSecurityKey {
    return VirtualSecurityKey.fromJSON(this.toJSON(), { randomBytes: this.#randomBytes });
  }

  /** Fault: sets the counter back (default to 0), as a key whose counter memory was lost. */
  resetCounter(value = 0): this {
    if (!Number.isInteger(value) || value < 0 || value > MAX_COUNTER)
      throw new RangeError('counter must be 0 to 2^32 - 1');
    this.#counter = value;
    return this;
  }

  /** U2F_REGISTER (§4.1–§4.3): a new credential for `appParam`; returns the registration response message. */
  register(challengeParam: Uint8Array, appParam: Uint8Array): Uint8Array {
    assertBytesOfLength(challengeParam, 32, 'challengeParam');
    assertBytesOfLength(appParam, 32, 'appParam');
    const { keyHandle, publicKey } = this.#newCredential(appParam);
    const signed = concatBytes(Uint8Array.of(0x00), appParam, challengeParam, keyHandle, publicKey);
    const signature = encodeDerSignature(p256.sign(signed, this.#attestationKey, { prehash: true }));
    return concatBytes(
      Uint8Array.of(0x05),
      publicKey,
      Uint8Array.of(keyHandle.length),
      keyHandle,
      this.attestationCertificate,
      signature,
    );
  }

  /**
   * U2F_AUTHENTICATE with "enforce-user-presence-and-sign" (§5.1–§5.4): advances the counter and
   * signs, or answers "wrong data" (0x6A80) when the key handle is not this key's for `appParam`.
   * `{ userPresent: false }` is the fault of a key that signs without a touch.
   */
  authenticate(
    challengeParam: Uint8Array,
    appParam: Uint8Array,
    keyHandle: Uint8Array,
    options: { readonly userPresent?: boolean } = {},
  ): U2fKeyAnswer {
    assertBytesOfLength(challengeParam, 32, 'challengeParam');
    assertBytesOfLength(appParam, 32, 'appParam');
    if (!isBytes(keyHandle)) throw new TypeError('keyHandle must be a Uint8Array');
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const privateKey = unwrapPrivateKey(this.#wrappingKey, appParam, keyHandle);
    if (privateKey === undefined) return { ok: false, statusWord: SW_WRONG_DATA, reason: 'wrong_data' };
    const head = concatBytes(
      Uint8Array.of(options.userPresent === false ? 0 : 1),
      uint32BigEndian(this.#nextCounter()),
    );
    const signature = encodeDerSignature(
      p256.sign(concatBytes(appParam, head, challengeParam), privateKey, { prehash: true }),
    );
    privateKey.fill(0);
    return { ok: true, statusWord: SW_NO_ERROR, response: concatBytes(head, signature) };
  }

  /**
   * U2F_AUTHENTICATE with "check-only" (§5.1, control byte 0x07): whether `keyHandle` was made by
   * this key for `appParam`, without a touch or a signature — 0x6985 if so (a success, despite
   * the name), 0x6A80 otherwise. Clients use it to find which of several keys holds a credential.
   */
  checkOnly(appParam: Uint8Array, keyHandle: Uint8Array): typeof SW_CONDITIONS_NOT_SATISFIED | typeof SW_WRONG_DATA {
    assertBytesOfLength(appParam, 32, 'appParam');
    if (!isBytes(keyHandle)) throw new TypeError('keyHandle must be a Uint8Array');
    const privateKey = unwrapPrivateKey(this.#wrappingKey, appParam, keyHandle);
    if (privateKey === undefined) return SW_WRONG_DATA;
    privateKey.fill(0);
    return SW_CONDITIONS_NOT_SATISFIED;
  }

  /**
   * What a U2F client sends for a registration: the client data it builds (JS API §7.1) and the
   * key's registration response message for it.
   */
  u2fRegisterResponse(request: U2fClientRequest): { registrationData: Uint8Array; clientData: Uint8Array } {
    const clientData = u2fClientData(U2F_REGISTRATION_TYP, request);
    return { registrationData: this.register(sha256(clientData), applicationParameter(request.appId)), clientData };
  }

  /** What a U2F client sends for a sign-in with `keyHandle`: client data and the key's answer. */
  u2fSignResponse(request: U2fClientRequest & { readonly keyHandle: Uint8Array; readonly userPresent?: boolean }): {
    answer: U2fKeyAnswer;
    clientData: Uint8Array;
  } {
    const clientData = u2fClientData(U2F_AUTHENTICATION_TYP, request);
    const answer = this.authenticate(sha256(clientData), applicationParameter(request.appId), request.keyHandle, {
      ...(request.userPresent === undefined ? {} : { userPresent: request.userPresent }),
    });
    return { answer, clientData };
  }

  /** `navigator.credentials.create()` with this key: the registration response a browser returns. */
  createCredential(
    options: PublicKeyCredentialCreationOptionsJSON,
    ceremony: RegistrationCeremonyOptions,
  ): RegistrationResponseJSON {
    return createCredential(this.#core(), options, ceremony);
  }

  /** `navigator.credentials.get()` with this key: the authentication response a browser returns. */
  getAssertion(options: PublicKeyCredentialRequestOptionsJSON, ceremony: CeremonyOptions): AuthenticationResponseJSON {
    return getAssertion(this.#core(), options, ceremony);
  }

  /** The counter and AAGUID only: never a secret. */
  toString(): string {
    return `VirtualSecurityKey { counter: ${this.#counter}, aaguid: '${base64UrlEncode(this.aaguid)}' }`;
  }

  /** As `toString()`: Node's `util.inspect` (and so `console.log`) shows no secret. */
  [inspectSymbol](): string {
    return this.toString();
  }

  #nextCounter(): number {
    if (this.#counter >= MAX_COUNTER) throw new RangeError('the sign counter is exhausted (2^32 - 1)');
    this.#counter += 1;
    return this.#counter;
  }

  #newCredential(appParam: Uint8Array): { keyHandle: Uint8Array; publicKey: Uint8Array; privateKey: Uint8Array } {
    const privateKey = p256.utils.randomSecretKey(this.#randomBytes(48));
    const keyHandle = wrapPrivateKey(this.#wrappingKey, appParam, privateKey, this.#randomBytes(12));
    return { keyHandle, publicKey: p256.getPublicKey(privateKey, false), privateKey };
  }

  #core(): SecurityKeyCore {
    return {
      aaguid: this.aaguid,
      attestationCertificate: this.attestationCertificate,
      counter: () => this.#counter,
      nextCounter: () => this.#nextCounter(),
      newCredential: (appParam) => this.#newCredential(appParam),
      unwrap: (appParam, keyHandle) => unwrapPrivateKey(this.#wrappingKey, appParam, keyHandle),
      attestationSign: (data) => encodeDerSignature(p256.sign(data, this.#attestationKey, { prehash: true })),
    };
  }
}
