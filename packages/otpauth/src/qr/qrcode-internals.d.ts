// Types of the two modules of `qrcode` used here: its encoder core and its SVG renderer. They are
// the parts its own browser entry uses; its Node entry adds PNG and file output through pngjs and
// `fs`, which would keep this package out of browsers.
declare module 'qrcode/lib/core/qrcode.js' {
  export interface QrSymbol {
    modules: { size: number; data: Uint8Array; get(row: number, column: number): number };
    version: number;
  }
  export function create(text: string, options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' }): QrSymbol;
}

declare module 'qrcode/lib/renderer/svg-tag.js' {
  import type { QrSymbol } from 'qrcode/lib/core/qrcode.js';
  export function render(symbol: QrSymbol, options: { margin: number; scale: number }): string;
}
