/**
 * @module
 * QR codes drawn with half-block characters: one character cell holds two modules, one above the
 * other (▀ ▄ █ and space), so a code takes a quarter of the area of the two-cells-a-module
 * drawing and a version 7 code (45 modules) fits 24 rows. Drawn as light modules on a dark
 * background, the way a dark terminal shows them; the app pins those colours (white on black)
 * so the code reads the same on a light theme. Error correction level M (15 %, what Google
 * Authenticator's exports use), dropping to L only where M would not fit the space given.
 */
/// <reference path="./qrcode-core.d.ts" />
import { create as createQrSymbol } from 'qrcode/lib/core/qrcode.js';

export type QrLevel = 'L' | 'M';

export interface HalfBlockQr {
  /** The drawing, lines joined with "\n" (no trailing newline, no ANSI). */
  text: string;
  /** Width in character cells. */
  columns: number;
  /** Height in lines. */
  rows: number;
  version: number;
  level: QrLevel;
}

/**
 * Light modules around the code. ISO/IEC 18004 §7.3.8 asks for 4; drawn light on a dark
 * terminal, the dark screen around the code adds contrast, and phone scanners read it with 1
 * (what qrcode-terminal draws too), so a code fits a smaller terminal.
 */
export const QUIET_ZONE = 1;

/** Top and bottom module of a cell → its character, light = drawn. */
function cell(topDark: boolean, bottomDark: boolean): string {
  if (topDark && bottomDark) return ' ';
  if (topDark) return '▄';
  if (bottomDark) return '▀';
  return '█';
}

export function renderHalfBlockQr(text: string, level: QrLevel = 'M'): HalfBlockQr {
  const symbol = createQrSymbol(text, { errorCorrectionLevel: level });
  const size = symbol.modules.size;
  const total = size + 2 * QUIET_ZONE;
  const dark = (row: number, column: number): boolean => {
    const r = row - QUIET_ZONE;
    const c = column - QUIET_ZONE;
    // Outside the symbol (quiet zone, and the padding row under an odd height): light.
    if (r < 0 || c < 0 || r >= size || c >= size) return false;
    return symbol.modules.get(r, c) !== 0;
  };
  const lines: string[] = [];
  for (let row = 0; row < total; row += 2) {
    let line = '';
    for (let column = 0; column < total; column++) line += cell(dark(row, column), dark(row + 1, column));
    lines.push(line);
  }
  return { text: lines.join('\n'), columns: total, rows: lines.length, version: symbol.version, level };
}

/** Cells a code of `version` takes (QR versions are 17 + 4v modules wide). */
export function halfBlockSize(version: number): { columns: number; rows: number } {
  const total = 17 + 4 * version + 2 * QUIET_ZONE;
  return { columns: total, rows: Math.ceil(total / 2) };
}

/**
 * The code of `text` drawn to fit `space`: level M if it fits, else L; undefined when neither
 * fits (the caller says how large the terminal must be: see `halfBlockQrNeeds`).
 */
export function fitHalfBlockQr(text: string, space: { columns: number; rows: number }): HalfBlockQr | undefined {
  for (const level of ['M', 'L'] as const) {
    const qr = renderHalfBlockQr(text, level);
    if (qr.columns <= space.columns && qr.rows <= space.rows) return qr;
  }
  return undefined;
}

/** The smallest space the code of `text` needs (at level L). */
export function halfBlockQrNeeds(text: string): { columns: number; rows: number } {
  const qr = renderHalfBlockQr(text, 'L');
  return { columns: qr.columns, rows: qr.rows };
}
