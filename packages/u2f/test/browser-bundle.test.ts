/**
 * The root entry runs where only Web globals exist: bundled for the browser with esbuild (a Node
 * built-in anywhere in the graph fails the build), then run in a `node:vm` context with no
 * Buffer, process or require, it registers, signs in and verifies — raw U2F and WebAuthn.
 */
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { expect, test } from 'vitest';

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./support/portable-round-trip.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'u2fBundle',
    conditions: ['@mfakit/source'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no bundle');
  return output.text;
}

test('the browser bundle of @mfakit/u2f runs a whole round trip with Web globals only', async () => {
  const code = await bundle();
  expect(code).not.toMatch(/\brequire\(/);
  expect(code).not.toMatch(/\bBuffer\.(from|alloc|concat)\b/);
  const context = createContext({ TextEncoder, TextDecoder, crypto: globalThis.crypto, URL, DOMException, console });
  expect(runInContext('[typeof Buffer, typeof process, typeof require]', context)).toEqual([
    'undefined',
    'undefined',
    'undefined',
  ]);
  runInContext(code, context, { filename: 'u2f.bundle.js' });
  const result = runInContext('u2fBundle.runRoundTrip()', context);
  expect(JSON.parse(JSON.stringify(result))).toEqual({
    verified: { ok: true, counter: 1, userPresent: true },
    wrongApp: 0x6a80,
    createdIdLength: 80,
    assertionSignatureLength: true,
    refusal: 'NotAllowedError',
    counter: 2,
    restoredCounter: 2,
    certificate: true,
  });
});
