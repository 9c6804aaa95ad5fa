// Bundles the app from its sources (and its workspace packages' sources) into dist/bundle, or into
// the directory given as the first argument, code-split at the lazy imports, so that starting
// `mfakit` reads a few files instead of hundreds of small modules (Ink alone is ~100).
// bin/mfakit.js and the root `start` script run the bundle.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { narrowStringWidth, yogaWasmWithoutFetch } from './bundle-plugins.mjs';

const app = resolve(import.meta.dirname, '..');
const outdir = resolve(process.argv[2] ?? join(app, 'dist/bundle'));
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: [join(app, 'src/main.ts')],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  conditions: ['@mfakit/source'],
  jsx: 'automatic',
  // React and react-reconciler choose their production build at run time from NODE_ENV; fixing it
  // here drops the development builds (≈ 60 % of the TUI chunk) that Node would otherwise parse.
  // The app always runs the production build (src/tui/run-tui.ts sets NODE_ENV too).
  define: { 'process.env.NODE_ENV': '"production"' },
  // Native module, loaded on first keychain use; devtools only in Ink's DEV mode; thirty-two stays in
  // node_modules, where Node does not print its Buffer() deprecation warning.
  external: ['@napi-rs/keyring', 'react-devtools-core', 'thirty-two'],
  // React and other CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __mfakitCreateRequire } from 'node:module'; const require = __mfakitCreateRequire(import.meta.url);",
  },
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [yogaWasmWithoutFetch, narrowStringWidth],
});
