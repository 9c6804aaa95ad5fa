/**
 * @module
 * QR codes of otpauth and migration URIs: in the terminal through qrcode-terminal, as SVG through
 * qrcode's encoder and SVG renderer, as PNG through qrcode's encoder and `png.ts`. Error
 * correction level M (15 % recovery, what Google Authenticator exports use) and, for SVG/PNG,
 * the 4-module quiet zone ISO/IEC 18004 §7.3.8 asks for. Standard APIs only: this runs in
 * browsers and edge runtimes.
 */
/// <reference path="./qrcode-internals.d.ts" />
import { assertOptionsObject, integerOption } from '@mfakit/core/validate';
import { create as createQrSymbol } from 'qrcode/lib/core/qrcode.js';
import { render as renderSvg } from 'qrcode/lib/renderer/svg-tag.js';
import qrcodeTerminal from 'qrcode-terminal';
import { otpauthError } from '../errors.js';
import { MAX_QR_BYTES } from './capacity.js';
import { encodeModulesPng } from './png.js';

export { MAX_QR_BYTES };

/** Level M in qrcode-terminal's QRErrorCorrectLevel table (ISO/IEC 18004 format bits 00). */
const TERMINAL_LEVEL_M = 0;

/** How a QR code is drawn in a terminal. */
export interface TerminalQrOptions {
  /**
   * Half-height rendering with block characters (▀▄█): a quarter of the area, but it assumes a
   * light-on-dark terminal. The default draws two spaces per module with ANSI background colours,
   * which scans on any colour scheme.
   */
  small?: boolean;
}

/** Size options of SVG and PNG QR codes. */
export interface QrImageOptions {
  /** Quiet zone in modules. Default 4; below 4 some scanners fail. */
  margin?: number;
  /** Pixels (PNG) or user units (SVG) per module. Default 8 for PNG, 4 for SVG. */
  scale?: number;
}

function checkText(text: string, name: string): void {
  if (typeof text !== 'string') throw new TypeError(`${name} expects the URI as a string`);
  if (text.length === 0) throw new RangeError(`${name}: the text is empty`);
  // A lone surrogate has no UTF-8 form (the encoder would throw a raw URIError).
  if (/\p{Surrogate}/u.test(text)) throw new RangeError(`${name}: the text is not well-formed Unicode`);
  // Checked here so callers get one error code for "too much data" from every renderer.
  const bytes = new TextEncoder().encode(text).length;
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
  assertOptionsObject(options, 'renderQrToTerminal options');
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
  assertOptionsObject(options, 'qrSvg options');
  const margin = integerOption(options.margin, 'margin', 4, 0, 64);
  const scale = integerOption(options.scale, 'scale', 4, 1, 64);
  return renderSvg(createQrSymbol(text, { errorCorrectionLevel: 'M' }), { margin, scale });
}

/** PNG image (bytes) of the QR code of `text` (UTF-8 byte mode, level M), black on white. */
export async function qrPng(text: string, options: QrImageOptions = {}): Promise<Uint8Array> {
  checkText(text, 'qrPng');
  assertOptionsObject(options, 'qrPng options');
  const margin = integerOption(options.margin, 'margin', 4, 0, 64);
  const scale = integerOption(options.scale, 'scale', 8, 1, 64);
  const { modules } = createQrSymbol(text, { errorCorrectionLevel: 'M' });
  return await encodeModulesPng(modules.size, (row, column) => modules.get(row, column) !== 0, margin, scale);
}
