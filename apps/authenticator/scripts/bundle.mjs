// Bundles the built app into dist/bundle (code-split at the lazy imports) so that starting
// `mfakit` reads a few files instead of hundreds of small modules (Ink alone is ~100).
// bin/mfakit.js runs the bundle when it exists, else dist/main.js.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bundle',
  conditions: ['@mfakit/source'],
  jsx: 'automatic',
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
});
