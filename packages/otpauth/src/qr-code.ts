/**
 * @module
 * QR codes of otpauth and migration URIs: in the terminal through qrcode-terminal, as SVG and PNG
 * through qrcode. Error correction level M (15 % recovery, what Google Authenticator exports
 * use) and, for SVG/PNG, the 4-module quiet zone ISO/IEC 18004 §7.3.8 asks for.
 */
import QRCode from 'qrcode';
import qrcodeTerminal from 'qrcode-terminal';
import { otpauthError } from './errors.js';

/** Level M in qrcode-terminal's QRErrorCorrectLevel table (ISO/IEC 18004 format bits 00). */
const TERMINAL_LEVEL_M = 0;

/** Byte-mode capacity of a version 40 QR code at level M (ISO/IEC 18004 Table 7). */
export const MAX_QR_BYTES = 2331;

export interface TerminalQrOptions {
  /**
   * Half-height rendering with block characters (▀▄█): a quarter of the area, but it assumes a
   * light-on-dark terminal. The default draws two spaces per module with ANSI background colours,
   * which scans on any colour scheme.
   */
  small?: boolean;
}

export interface QrImageOptions {
  /** Quiet zone in modules. Default 4; below 4 some scanners fail. */
  margin?: number;
  /** Pixels (PNG) or user units (SVG) per module. Default 8 for PNG, 4 for SVG. */
  scale?: number;
}

function checkText(text: string, name: string): void {
  if (typeof text !== 'string') throw new TypeError(`${name} expects the URI as a string`);
  if (text.length === 0) throw new RangeError(`${name}: the text is empty`);
  // Checked here so callers get one error code for "too much data" from every renderer.
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_QR_BYTES) {
    throw otpauthError(
      'qr_too_large',
      `The text is ${bytes} bytes; one QR code holds at most ${MAX_QR_BYTES}. Split migration exports into more batches.`,
    );
  }
}

/**
 * Returns the QR code of `text` as a string to print in a terminal. The text must be printable
 * ASCII, which otpauth and migration URIs always are (everything else is percent-encoded):
 * qrcode-terminal encodes characters, not UTF-8 bytes.
 */
export function renderQrToTerminal(text: string, options: TerminalQrOptions = {}): string {
  checkText(text, 'renderQrToTerminal');
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new RangeError('renderQrToTerminal: the text must be printable ASCII; percent-encode it first');
  }
  let output = '';
  // qrcode-terminal keeps the level in module state, so set it on every call (generate is
  // synchronous). Not through setErrorLevel('M'): level M is 0 in its table and
  // `QRErrorCorrectLevel[level] || this.error` then keeps the previous level (L).
  (qrcodeTerminal as { error: number }).error = TERMINAL_LEVEL_M;
  qrcodeTerminal.generate(text, { small: options.small === true }, (rendered) => {
    output = rendered;
  });
  return output;
}

/** SVG document of the QR code of `text` (UTF-8 byte mode, level M). */
export async function qrSvg(text: string, options: QrImageOptions = {}): Promise<string> {
  checkText(text, 'qrSvg');
  return await QRCode.toString(text, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: checkInteger(options.margin ?? 4, 0, 64, 'margin'),
    scale: checkInteger(options.scale ?? 4, 1, 64, 'scale'),
  });
}

/** PNG image (bytes) of the QR code of `text` (UTF-8 byte mode, level M), black on white. */
export async function qrPng(text: string, options: QrImageOptions = {}): Promise<Uint8Array> {
  checkText(text, 'qrPng');
  const png = await QRCode.toBuffer(text, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: checkInteger(options.margin ?? 4, 0, 64, 'margin'),
    scale: checkInteger(options.scale ?? 8, 1, 64, 'scale'),
  });
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

function checkInteger(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}
