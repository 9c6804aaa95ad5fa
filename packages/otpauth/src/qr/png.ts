/**
 * @module
 * A minimal PNG writer for QR codes with standard APIs only (no `Buffer`, no `node:zlib`): a
 * 1-bit greyscale image (PNG spec §11.2.2 IHDR, colour type 0, bit depth 1), one filter-type-0
 * scanline per pixel row (§9), the zlib stream from the Compression Streams API
 * (`CompressionStream('deflate')`, RFC 1950), chunk CRCs as §5.5 defines them.
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** CRC-32 of PNG §5.5 / ISO 3309 (polynomial 0xedb88320, reflected). */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** length, type, data, CRC over type and data (PNG §5.3). */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function zlibDeflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * PNG of a square module matrix (`dark(row, column)` for 0 ≤ row, column < size), `scale`
 * pixels per module, with `margin` light modules around it: black on white.
 */
export async function encodeModulesPng(
  size: number,
  dark: (row: number, column: number) => boolean,
  margin: number,
  scale: number,
): Promise<Uint8Array> {
  const width = (size + 2 * margin) * scale;
  const rowBytes = 1 + Math.ceil(width / 8);
  const raw = new Uint8Array(rowBytes * width);
  for (let y = 0; y < width; y++) {
    const row = Math.floor(y / scale) - margin;
    const line = y * rowBytes; // raw[line] = 0: filter type None
    for (let x = 0; x < width; x++) {
      const column = Math.floor(x / scale) - margin;
      const isDark = row >= 0 && row < size && column >= 0 && column < size && dark(row, column);
      // Greyscale bit 1 is white; bits fill each byte from its most significant bit (PNG §7.2).
      if (!isDark) raw[line + 1 + (x >>> 3)] = (raw[line + 1 + (x >>> 3)] as number) | (0x80 >>> (x & 7));
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, width);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', await zlibDeflate(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}
