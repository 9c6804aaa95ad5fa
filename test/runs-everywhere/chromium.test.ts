/**
 * The browser bundle of @mfakit/core + @mfakit/otpauth runs in real Chromium (Debian's, driven by
 * playwright-core): every portable check passes, the outputs equal Node's, a secret made by an
 * iframe's Uint8Array is accepted, and the PNG QR code drawn by the browser's own image decoder
 * scans (jsQR) to the URI. `scripts/test-env.sh` installs chromium; without it this test fails.
 */
import { execFileSync } from 'node:child_process';
import { runInNewContext } from 'node:vm';
import jsQRModule from 'jsqr';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundlePortableChecks } from './bundle.js';
import { type PortableReport, runPortableChecks } from './portable-checks.js';

/** The flags the test set-up uses everywhere: no sandbox (root in CI), nothing that phones home. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed: run `bash scripts/test-env.sh` (Debian package chromium)');
  }
}

let browser: Browser;
let bundle: string;
let nodeReport: PortableReport;

beforeAll(async () => {
  bundle = await bundlePortableChecks();
  nodeReport = await runPortableChecks(
    (values) => runInNewContext(`new Uint8Array(${JSON.stringify(values)})`) as Uint8Array,
  );
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, timeout: 60_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
});

describe('the browser bundle in Chromium', () => {
  test('every check passes, outputs equal Node’s, iframe bytes are secrets, the PNG scans', async () => {
    const page = await browser.newPage();
    try {
      await page.setContent('<!doctype html><title>mfakit</title><iframe srcdoc=""></iframe>');
      await page.addScriptTag({ content: bundle });
      const result = await page.evaluate(async () => {
        const frame = document.querySelector('iframe') as HTMLIFrameElement;
        const FrameBytes = (frame.contentWindow as unknown as { Uint8Array: Uint8ArrayConstructor }).Uint8Array;
        const run = (globalThis as unknown as { mfakitPortableChecks: typeof runPortableChecks }).mfakitPortableChecks;
        const report = await run((values) => new FrameBytes(values));
        // Decode the PNG with the browser's own decoder and read back its pixels.
        const png = Uint8Array.from(atob(report.pngBase64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([png], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
        context.drawImage(bitmap, 0, 0);
        const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
        return {
          report,
          userAgent: navigator.userAgent,
          image: { width: pixels.width, height: pixels.height, rgba: Array.from(pixels.data) },
        };
      });
      expect(result.userAgent).toMatch(/Chrome\//);
      expect(result.report.failures).toEqual([]);
      expect(result.report.checks).toBe(nodeReport.checks);
      expect(result.report.outputs).toEqual(nodeReport.outputs);
      const { width, height, rgba } = result.image;
      // jsqr is UMD: `.default` is the function under both module readings.
      const scanned = jsQRModule.default(Uint8ClampedArray.from(rgba), width, height, {
        inversionAttempts: 'dontInvert',
      });
      expect(scanned?.data).toBe(nodeReport.outputs.uri);
    } finally {
      await page.close();
    }
  });
});
