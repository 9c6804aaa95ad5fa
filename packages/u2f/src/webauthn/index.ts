/**
 * @module
 * @mfakit/u2f/webauthn — WebAuthn security-key ceremonies checked with typed refusals, on top of
 * @simplewebauthn/server (Node). Kept out of the root entry so that `@mfakit/u2f` itself stays
 * free of it (see the package README).
 */
export type { CeremonyExpectation } from './ceremony-checks.js';
export { WEBAUTHN_ERROR_CODES, type WebAuthnErrorCode } from './errors.js';
export {
  type AuthenticationResponseLike,
  type SecurityKeyAssertionExpectation,
  type SecurityKeyAssertionResult,
  type StoredSecurityKey,
  verifySecurityKeyAssertion,
} from './verify-security-key-assertion.js';
export {
  type RegistrationResponseLike,
  SECURITY_KEY_ATTESTATION_FORMATS,
  type SecurityKeyCredential,
  type SecurityKeyRegistrationExpectation,
  verifySecurityKeyRegistration,
} from './verify-security-key-registration.js';
