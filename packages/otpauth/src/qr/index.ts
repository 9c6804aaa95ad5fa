/**
 * @module
 * `@mfakit/otpauth/qr` — QR codes of otpauth and migration URIs: terminal text, SVG and PNG.
 */
export {
  MAX_QR_BYTES,
  type QrImageOptions,
  qrPng,
  qrSvg,
  renderQrToTerminal,
  type TerminalQrOptions,
} from './qr-code.js';
