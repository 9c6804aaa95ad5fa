/**
 * Reads QR codes back with a real decoder (jsQR) from PNG (decoded by pngjs) and from the text
 * qrcode-terminal prints, to prove the codes scan, not only that they were produced.
 */
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is UMD: `module.exports` is the function, which also carries itself as `.default`; its
// types describe an ES module. `.default` is right for both readings.
const jsQR = jsQRModule.default;

export function decodeRgba(data: Uint8ClampedArray, width: number, height: number): string {
  const result = jsQR(data, width, height, { inversionAttempts: 'dontInvert' });
  if (result === null) throw new Error('jsQR found no QR code in the image');
  return result.data;
}

export function decodePng(png: Uint8Array): string {
  const image = PNG.sync.read(Buffer.from(png));
  return decodeRgba(
    new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
    image.width,
    image.height,
  );
}

/** Dark modules = true. */
export type ModuleMatrix = boolean[][];

const RESET = '\u001b[0m';
const BLACK_CELL = '\u001b[40m  \u001b[0m';
const WHITE_CELL = '\u001b[47m  \u001b[0m';

/**
 * Turns qrcode-terminal output back into modules. Large mode: one cell per module with ANSI
 * backgrounds. Small mode: one character per two rows of modules, drawn in the terminal's light
 * foreground on its dark background: █ both light, ▀ top light, ▄ bottom light, space both dark.
 */
export function terminalToModules(text: string, small: boolean): ModuleMatrix {
  const lines = text.split('\n').filter((line) => line.length > 0);
  if (!small) {
    return lines.map((line) => {
      const cells = line
        .split(RESET)
        .filter((part) => part !== '')
        .map((part) => part + RESET);
      return cells.map((cell) => {
        if (cell === BLACK_CELL) return true;
        if (cell === WHITE_CELL) return false;
        throw new Error('unexpected cell');
      });
    });
  }
  const rows: ModuleMatrix = [];
  for (const line of lines) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const char of line) {
      top.push(!(char === '█' || char === '▀'));
      bottom.push(!(char === '█' || char === '▄'));
    }
    rows.push(top, bottom);
  }
  return rows;
}

/** Renders modules as an RGBA image, `scale` pixels per module, surrounded by `pad` modules of `padDark`. */
export function modulesToRgba(
  modules: ModuleMatrix,
  scale: number,
  pad: number,
  padDark: boolean,
): { data: Uint8ClampedArray; width: number; height: number } {
  const rows = modules.length;
  const cols = Math.max(...modules.map((row) => row.length));
  const width = (cols + 2 * pad) * scale;
  const height = (rows + 2 * pad) * scale;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const row = Math.floor(y / scale) - pad;
      const col = Math.floor(x / scale) - pad;
      const inside = row >= 0 && row < rows && col >= 0 && col < cols;
      const dark = inside ? (modules[row]?.[col] ?? padDark) : padDark;
      const offset = (y * width + x) * 4;
      const value = dark ? 0 : 255;
      data[offset] = value;
      data[offset + 1] = value;
      data[offset + 2] = value;
      data[offset + 3] = 255;
    }
  }
  return { data, width, height };
}

export function decodeTerminal(text: string, small: boolean, surroundingDark: boolean): string {
  const image = modulesToRgba(terminalToModules(text, small), 4, 4, surroundingDark);
  return decodeRgba(image.data, image.width, image.height);
}
