/**
 * Reads the app's half-block QR codes back with a real decoder (jsQR): characters → modules →
 * an image, 4 pixels a module, inside the dark margin a terminal draws around the code. A test
 * that passes proves the code on screen scans, not only that one was printed.
 */
import jsQRModule from 'jsqr';

// jsqr is UMD: the function is `module.exports` and also its own `.default`.
const jsQR = jsQRModule.default;

const LIGHT = new Set(['█', '▀', '▄', ' ']);

/** Half-block text (light drawn) → dark-module matrix. */
export function halfBlockModules(text: string): boolean[][] {
  const rows: boolean[][] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const character of line) {
      if (!LIGHT.has(character)) throw new Error('not a half-block QR character');
      top.push(!(character === '█' || character === '▀'));
      bottom.push(!(character === '█' || character === '▄'));
    }
    rows.push(top, bottom);
  }
  return rows;
}

/** Decodes a half-block QR drawing; throws when jsQR finds no code. */
export function decodeHalfBlock(text: string): string {
  const modules = halfBlockModules(text);
  const scale = 4;
  const pad = 4; // the terminal's dark background around the code
  const height = modules.length;
  const width = Math.max(...modules.map((row) => row.length));
  const pixelsWide = (width + 2 * pad) * scale;
  const pixelsHigh = (height + 2 * pad) * scale;
  const data = new Uint8ClampedArray(pixelsWide * pixelsHigh * 4);
  for (let y = 0; y < pixelsHigh; y++) {
    for (let x = 0; x < pixelsWide; x++) {
      const row = Math.floor(y / scale) - pad;
      const column = Math.floor(x / scale) - pad;
      const dark = row < 0 || column < 0 || row >= height || column >= width ? true : (modules[row]?.[column] ?? true);
      const offset = (y * pixelsWide + x) * 4;
      const value = dark ? 0 : 255;
      data[offset] = value;
      data[offset + 1] = value;
      data[offset + 2] = value;
      data[offset + 3] = 255;
    }
  }
  const result = jsQR(data, pixelsWide, pixelsHigh, { inversionAttempts: 'dontInvert' });
  if (result === null) throw new Error('jsQR found no QR code in the drawing');
  return result.data;
}
