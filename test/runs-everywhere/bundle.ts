/**
 * @module
 * Bundles portable-checks.ts for the browser with esbuild (platform browser, the packages'
 * sources through the `@mfakit/source` condition), as an IIFE that sets
 * `globalThis.mfakitPortableChecks`. A Node built-in anywhere in the graph fails the build.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export async function bundlePortableChecks(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./portable-checks.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'mfakitBundle',
    footer: { js: 'globalThis.mfakitPortableChecks = mfakitBundle.runPortableChecks;' },
    conditions: ['@mfakit/source'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no bundle');
  return output.text;
}
