/**
 * @module
 * The JSON forms of WebAuthn options and responses (WebAuthn Level 3 §5.1.8–§5.1.10,
 * `PublicKeyCredentialCreationOptionsJSON`, `RegistrationResponseJSON`, …) as far as a U2F
 * security key reads or writes them. Structural, so @simplewebauthn/server's values fit without
 * this entry point depending on it. Binary fields are base64url text.
 */

/**
 * A credential in `allowCredentials` or `excludeCredentials`: `id` is the credential id, base64url
 * (for a U2F key, its key handle); entries whose `type` is not `public-key` are skipped.
 */
export interface PublicKeyCredentialDescriptorJSON {
  readonly id: string;
  readonly type: string;
  readonly transports?: readonly string[] | undefined;
}

/**
 * The registration options a server sends to `navigator.credentials.create()`, as far as the
 * virtual key reads them. `rp.id` defaults to the origin's host; `pubKeyCredParams` must allow
 * ES256 (-7) or be empty; a platform attachment, a required resident key or required user
 * verification are refused with `NotAllowedError`, as a U2F key cannot meet them; a credential in
 * `excludeCredentials` that is this key's is refused with `InvalidStateError`.
 */
export interface PublicKeyCredentialCreationOptionsJSON {
  readonly rp: { readonly id?: string | undefined; readonly name: string };
  readonly user: { readonly id: string; readonly name: string; readonly displayName: string };
  readonly challenge: string;
  readonly pubKeyCredParams: readonly { readonly alg: number; readonly type: string }[];
  readonly timeout?: number | undefined;
  readonly excludeCredentials?: readonly PublicKeyCredentialDescriptorJSON[] | undefined;
  readonly authenticatorSelection?:
    | {
        readonly authenticatorAttachment?: string | undefined;
        readonly residentKey?: string | undefined;
        readonly requireResidentKey?: boolean | undefined;
        readonly userVerification?: string | undefined;
      }
    | undefined;
  readonly attestation?: string | undefined;
  readonly extensions?: object | undefined;
}

/**
 * The authentication options a server sends to `navigator.credentials.get()`, as far as the virtual
 * key reads them. `allowCredentials` is required (a U2F key has no discoverable credentials);
 * `rpId` defaults to the origin's host; `userVerification: 'required'` is refused with
 * `NotAllowedError`; `extensions.appid` (WebAuthn Level 3 §10.1.1) also finds credentials
 * registered over U2F under that app id.
 */
export interface PublicKeyCredentialRequestOptionsJSON {
  readonly challenge: string;
  readonly timeout?: number | undefined;
  readonly rpId?: string | undefined;
  readonly allowCredentials?: readonly PublicKeyCredentialDescriptorJSON[] | undefined;
  readonly userVerification?: string | undefined;
  readonly extensions?: { readonly appid?: string | undefined } | undefined;
}

/**
 * What `VirtualSecurityKey.createCredential` returns: the JSON of a browser's registration
 * `PublicKeyCredential`, binary fields base64url. Pass it to `verifySecurityKeyRegistration` from
 * `@mfakit/u2f/webauthn` (or to @simplewebauthn/server) as a browser's.
 */
export interface RegistrationResponseJSON {
  /** The credential id, base64url: for a U2F key, its key handle (`rawId` is the same text). */
  id: string;
  rawId: string;
  type: 'public-key';
  response: {
    clientDataJSON: string;
    /** The CBOR attestation object (`fmt`, `attStmt`, `authData`), base64url. */
    attestationObject: string;
    authenticatorData: string;
    transports: 'usb'[];
    publicKeyAlgorithm: number;
    /** SubjectPublicKeyInfo DER of the credential public key. */
    publicKey: string;
  };
  authenticatorAttachment: 'cross-platform';
  clientExtensionResults: Record<string, never>;
}

/**
 * What `VirtualSecurityKey.getAssertion` returns: the JSON of a browser's assertion
 * `PublicKeyCredential`, binary fields base64url. `clientExtensionResults.appid` is present when
 * the options asked for the `appid` extension: true when the credential was found under the app id.
 */
export interface AuthenticationResponseJSON {
  /** The credential id that signed, base64url (one of `allowCredentials`). */
  id: string;
  rawId: string;
  type: 'public-key';
  response: {
    clientDataJSON: string;
    authenticatorData: string;
    /** The ECDSA P-256 signature over authenticatorData ‖ SHA-256(clientDataJSON), DER, base64url. */
    signature: string;
  };
  authenticatorAttachment: 'cross-platform';
  clientExtensionResults: { appid?: boolean };
}
