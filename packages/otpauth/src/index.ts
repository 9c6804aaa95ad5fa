/**
 * @module
 * @mfakit/otpauth — move accounts between servers, phones and the terminal: otpauth:// URIs
 * (Google Authenticator Key Uri Format), QR codes, Google Authenticator "Transfer accounts"
 * exports and Aegis vault files.
 *
 * Each part is also its own entry point, so an application loads only what it uses:
 * `@mfakit/otpauth/uri`, `@mfakit/otpauth/qr`, `@mfakit/otpauth/migration`,
 * `@mfakit/otpauth/aegis`. This root entry re-exports all four.
 */
export * from './aegis/index.js';
export * from './formats/index.js';
export * from './migration/index.js';
export * from './qr/index.js';
export * from './uri/index.js';
