/**
 * @module
 * The JSON forms of WebAuthn options and responses (WebAuthn Level 3 §5.1.8–§5.1.10,
 * `PublicKeyCredentialCreationOptionsJSON`, `RegistrationResponseJSON`, …) as far as a U2F
 * security key reads or writes them. Structural, so @simplewebauthn/server's values fit without
 * this entry point depending on it. Binary fields are base64url text.
 */

export interface PublicKeyCredentialDescriptorJSON {
  readonly id: string;
  readonly type: string;
  readonly transports?: readonly string[] | undefined;
}

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

export interface PublicKeyCredentialRequestOptionsJSON {
  readonly challenge: string;
  readonly timeout?: number | undefined;
  readonly rpId?: string | undefined;
  readonly allowCredentials?: readonly PublicKeyCredentialDescriptorJSON[] | undefined;
  readonly userVerification?: string | undefined;
  readonly extensions?: { readonly appid?: string | undefined } | undefined;
}

export interface RegistrationResponseJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: {
    clientDataJSON: string;
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

export interface AuthenticationResponseJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: {
    clientDataJSON: string;
    authenticatorData: string;
    signature: string;
  };
  authenticatorAttachment: 'cross-platform';
  clientExtensionResults: { appid?: boolean };
}
