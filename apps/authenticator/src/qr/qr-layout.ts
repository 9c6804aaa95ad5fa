/**
 * @module
 * Where a QR code goes on a terminal of a given size: beside its text (title, warnings, keys)
 * when the terminal is wide enough, which leaves the code every row, else under its title. And
 * how large a Google Authenticator transfer code may be on that terminal, so an export packs as
 * many accounts into each code as fit (and still scan).
 */
import { fitHalfBlockQr, type HalfBlockQr, halfBlockQrNeeds, halfBlockSize } from './half-block-qr.js';

/** Columns the text beside a code needs. */
export const SIDE_TEXT_COLUMNS = 28;

export type QrLayout =
  | { kind: 'side'; qr: HalfBlockQr; textColumns: number }
  | { kind: 'stacked'; qr: HalfBlockQr }
  | { kind: 'too-small'; needs: { columns: number; rows: number } };

/** Lines the stacked layout uses besides the code: title, warnings, key hint. */
const stackedLines = (warnings: number) => 2 + warnings;

export function layoutQr(text: string, terminal: { columns: number; rows: number }, warnings: number): QrLayout {
  const side = fitHalfBlockQr(text, { columns: terminal.columns - SIDE_TEXT_COLUMNS - 2, rows: terminal.rows });
  if (side !== undefined) return { kind: 'side', qr: side, textColumns: terminal.columns - side.columns - 2 };
  const stacked = fitHalfBlockQr(text, { columns: terminal.columns, rows: terminal.rows - stackedLines(warnings) });
  if (stacked !== undefined) return { kind: 'stacked', qr: stacked };
  const code = halfBlockQrNeeds(text);
  return {
    kind: 'too-small',
    needs: { columns: code.columns + SIDE_TEXT_COLUMNS + 2, rows: code.rows },
  };
}

/** Byte capacity of QR versions 1–40 at level L, byte mode (ISO/IEC 18004 Table 7). */
const CAPACITY_L = [
  17, 32, 53, 78, 106, 134, 154, 192, 230, 271, 321, 367, 425, 458, 520, 586, 644, 718, 792, 858, 929, 1003, 1091, 1171,
  1273, 1367, 1465, 1528, 1628, 1732, 1840, 1952, 2068, 2188, 2303, 2431, 2563, 2699, 2809, 2953,
];

/**
 * The longest text whose code fits beside its text on this terminal (the layout that gives the
 * code the most room), or 0 when not even a version 1 code fits.
 */
export function largestFittingText(terminal: { columns: number; rows: number }): number {
  let best = 0;
  for (let version = 1; version <= 40; version++) {
    const size = halfBlockSize(version);
    if (size.columns <= terminal.columns - SIDE_TEXT_COLUMNS - 2 && size.rows <= terminal.rows) {
      best = CAPACITY_L[version - 1] ?? best;
    }
  }
  return best;
}
