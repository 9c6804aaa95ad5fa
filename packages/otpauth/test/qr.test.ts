/**
 * QR codes must scan: every image here is read back with a real decoder (jsQR; PNGs through
 * pngjs) and must give back the exact text, for plain accounts, long issuers, unicode names and
 * large Google Authenticator migration payloads, in PNG and in both terminal renderings.
 */
import { isMfaError } from '@mfakit/core';
import {
  buildMigrationUris,
  buildOtpauthUri,
  importMigrationUris,
  MAX_QR_BYTES,
  qrPng,
  qrSvg,
  renderQrToTerminal,
} from '@mfakit/otpauth';
import fc from 'fast-check';
import QRCode from 'qrcode';
import { describe, expect, test } from 'vitest';
import { account } from './support/arbitraries.js';
import { decodePng, decodeTerminal } from './support/qr-decode.js';

const secret = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 0xff);

const samples = {
  plain: buildOtpauthUri({ secret, account: 'alice@example.com', issuer: 'ACME Co' }),
  'long issuer': buildOtpauthUri({
    secret,
    account: 'alice@example.com',
    issuer: 'The Very Long Name Of A Regional Cooperative Savings Bank And Building Society Of The North-East Coast '
      .repeat(2)
      .trim(),
  }),
  'unicode names': buildOtpauthUri({ secret, account: 'jürgen.müller 日本語 😀', issuer: 'Überweisung Bank Ωμέγα' }),
  'HOTP, SHA512, 8 digits': buildOtpauthUri({
    type: 'hotp',
    secret,
    account: 'bob',
    issuer: 'X',
    counter: 123456,
    algorithm: 'SHA512',
    digits: 8,
  }),
};

/** Ten accounts with long names and 32-byte secrets: a ~1.6 KB payload, near the top of what one QR holds. */
const largeMigration = buildMigrationUris(
  Array.from({ length: 10 }, (_, i) => ({
    secret: Uint8Array.from({ length: 32 }, (_, j) => (i * 31 + j * 7) & 0xff),
    account: `user-${i}@a-rather-long-domain-name.example.com`,
    issuer: `Issuer number ${i} with a long name`,
    ...(i % 3 === 0 ? { type: 'hotp' as const, counter: i * 1000 } : { type: 'totp' as const }),
  })),
  { maxUriLength: MAX_QR_BYTES, batchId: 7 },
);

describe('PNG', () => {
  test.each(Object.entries(samples))('%s decodes to the exact URI', async (_name, uri) => {
    expect(decodePng(await qrPng(uri))).toBe(uri);
  });

  test('a large migration payload in one code decodes to the exact URI', async () => {
    expect(largeMigration).toHaveLength(1);
    const uri = largeMigration[0] as string;
    expect(uri.length).toBeGreaterThan(1500);
    expect(decodePng(await qrPng(uri, { scale: 4 }))).toBe(uri);
  });

  test('uses error correction M and a 4-module quiet zone by default', async () => {
    const uri = samples.plain;
    const expectedModules = QRCode.create(uri, { errorCorrectionLevel: 'M' }).modules.size;
    const png = await qrPng(uri, { scale: 1 });
    // PNG IHDR width at bytes 16..19.
    const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
    expect(width).toBe(expectedModules + 8);
    const levelL = QRCode.create(samples['long issuer'], { errorCorrectionLevel: 'L' }).version;
    const levelM = QRCode.create(samples['long issuer'], { errorCorrectionLevel: 'M' }).version;
    expect(levelM).toBeGreaterThan(levelL);
    const longPng = await qrPng(samples['long issuer'], { scale: 1, margin: 0 });
    expect(new DataView(longPng.buffer, longPng.byteOffset).getUint32(16)).toBe(17 + 4 * levelM);
  });
});

describe('SVG', () => {
  test('is an SVG document of the same code (size = modules + quiet zone)', async () => {
    const uri = samples['unicode names'];
    const svg = await qrSvg(uri);
    const size = QRCode.create(uri, { errorCorrectionLevel: 'M' }).modules.size + 8;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(`viewBox="0 0 ${size} ${size}"`);
    expect(svg).toMatch(/<path[^>]+stroke="#000000"[^>]+d="M/);
  });
});

describe('terminal', () => {
  for (const small of [false, true]) {
    test.each(Object.entries(samples))(`%s decodes (small: ${small})`, (_name, uri) => {
      // Surrounded by the dark background of a terminal, as a phone camera sees it.
      expect(decodeTerminal(renderQrToTerminal(uri, { small }), small, true)).toBe(uri);
    });

    test(`a large migration payload decodes (small: ${small})`, () => {
      const uri = largeMigration[0] as string;
      expect(decodeTerminal(renderQrToTerminal(uri, { small }), small, true)).toBe(uri);
    });
  }

  test('uses error correction M (same size as qrcode at M in byte mode, larger than at L)', () => {
    const text = 'a'.repeat(300);
    const atM = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size;
    const atL = QRCode.create(text, { errorCorrectionLevel: 'L' }).modules.size;
    expect(atM).toBeGreaterThan(atL);
    // Large mode: one line per module plus a border line above and below.
    expect(renderQrToTerminal(text).split('\n')).toHaveLength(atM + 2);
  });

  test('small mode uses half the lines', () => {
    const large = renderQrToTerminal(samples.plain).split('\n').length;
    const small = renderQrToTerminal(samples.plain, { small: true }).split('\n').length;
    expect(small).toBeLessThanOrEqual(Math.ceil(large / 2) + 1);
  });

  test('refuses non-ASCII text, which qrcode-terminal would garble', () => {
    expect(() => renderQrToTerminal('otpauth://totp/jürgen?secret=JBSWY3DPEHPK3PXP')).toThrow(RangeError);
  });
});

describe('limits', () => {
  test('text over one QR code is qr_too_large everywhere', async () => {
    const text = `otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&image=${'a'.repeat(MAX_QR_BYTES)}`;
    for (const render of [() => renderQrToTerminal(text), () => qrPng(text), () => qrSvg(text)]) {
      let error: unknown;
      try {
        await render();
      } catch (caught) {
        error = caught;
      }
      expect(isMfaError(error, 'qr_too_large')).toBe(true);
    }
  });

  test('exactly the capacity still renders and decodes', async () => {
    const text = 'A'.repeat(MAX_QR_BYTES);
    expect(decodePng(await qrPng(text, { scale: 2 }))).toBe(text);
  });

  test('bad options are caller bugs', async () => {
    await expect(qrPng(samples.plain, { scale: 0 })).rejects.toThrow(RangeError);
    await expect(qrSvg(samples.plain, { margin: -1 })).rejects.toThrow(RangeError);
    expect(() => renderQrToTerminal('')).toThrow(RangeError);
  });
});

test('export → QR PNG → decode → import keeps every account intact', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(account({ transferable: true, maxNameLength: 40 }), { minLength: 1, maxLength: 25 }),
      async (accounts) => {
        const uris = buildMigrationUris(accounts, { batchId: 1234 });
        const scanned: string[] = [];
        for (const uri of uris) scanned.push(decodePng(await qrPng(uri, { scale: 3 })));
        // Scan order does not matter.
        const imported = importMigrationUris(scanned.reverse());
        expect(imported.skipped).toEqual([]);
        expect(imported.accounts).toEqual(accounts.map(({ extraParameters: _, ...rest }) => rest));
      },
    ),
    { numRuns: 12 },
  );
});
