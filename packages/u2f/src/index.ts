/**
 * @module
 * @mfakit/u2f — FIDO U2F security keys: verify raw U2F registration and authentication
 * messages (P-256, strict DER), and simulate a security key in tests (`VirtualSecurityKey`,
 * answering raw U2F messages and WebAuthn ceremonies). Standard APIs only: runs in Node,
 * browsers and edge runtimes. WebAuthn verification of recorded or live ceremonies is in the
 * Node-only subpath `@mfakit/u2f/webauthn`.
 */
export { applicationParameter } from './app-param.js';
export { base64UrlDecode, base64UrlEncode } from './base64url.js';
export { U2F_AUTHENTICATION_TYP, U2F_REGISTRATION_TYP, type U2fClientRequest } from './client-data.js';
export { U2F_ERROR_CODES, type U2fError, type U2fErrorCode } from './errors.js';
export { KEY_HANDLE_BYTES } from './key-handle.js';
export { nobleP256Verify, type P256Verify } from './p256-verify.js';
export {
  type U2fAuthenticationResult,
  type VerifyU2fAuthenticationOptions,
  verifyU2fAuthentication,
} from './verify-u2f-authentication.js';
export {
  type U2fRegistration,
  type VerifyU2fRegistrationOptions,
  verifyU2fRegistration,
} from './verify-u2f-registration.js';
export {
  SW_CONDITIONS_NOT_SATISFIED,
  SW_NO_ERROR,
  SW_WRONG_DATA,
  type U2fKeyAnswer,
  VirtualSecurityKey,
  type VirtualSecurityKeyOptions,
  type VirtualSecurityKeyState,
} from './virtual-security-key.js';
export type {
  AttestationFormat,
  CeremonyOptions,
  RegistrationCeremonyOptions,
} from './webauthn-ceremonies.js';
export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from './webauthn-json.js';
