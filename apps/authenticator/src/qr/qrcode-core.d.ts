// Types of the one module of `qrcode` used here, its encoder core (the part its browser entry
// uses; the Node entry would also load pngjs and fs).
declare module 'qrcode/lib/core/qrcode.js' {
  export interface QrSymbol {
    modules: { size: number; data: Uint8Array; get(row: number, column: number): number };
    version: number;
  }
  export function create(text: string, options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' }): QrSymbol;
}
