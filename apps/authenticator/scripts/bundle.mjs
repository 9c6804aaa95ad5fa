// Bundles the app from its sources (and its workspace packages' sources) into dist/bundle, or into
// the directory given as the first argument, code-split at the lazy imports, so that starting
// `mfakit` reads a few files instead of hundreds of small modules (Ink alone is ~100).
// bin/mfakit.js and the root `start` script run the bundle.
import { readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

// Yoga (Ink's layout engine) inlines its WebAssembly as a base64 data: URL and, because Node has a
// global fetch(), loads it through fetch(): that first touches undici (≈ 50 ms of module loading
// before the first frame) and then percent-decodes 120 kB. Shadowing fetch and atob in that one
// module makes its own fallback decode the base64 directly, with Buffer's native decoder.
const yogaWasmWithoutFetch = {
  name: 'yoga-wasm-without-fetch',
  setup(build) {
    build.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('"function"!=typeof fetch') || !source.includes('"function"==typeof atob')) {
        throw new Error('yoga-layout changed how it loads its wasm: review scripts/bundle.mjs');
      }
      const prelude =
        'const fetch = undefined;\n' + "const atob = (text) => Buffer.from(text, 'base64').toString('latin1');\n";
      return { contents: prelude + source, loader: 'js' };
    });
  },
};

// Ink's string-width (major 8) gets the ASCII-and-symbols fast path of src/tui/narrow-string-width.ts
// in front of it; see that file for why and for how the tests keep it exact. Other majors are left as is.
const narrowStringWidth = {
  name: 'narrow-string-width',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await build.resolve('string-width', {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'real',
      });
      if (real.errors.length > 0) return { errors: real.errors };
      const { version } = JSON.parse(readFileSync(join(dirname(real.path), 'package.json'), 'utf8'));
      if (!version.startsWith('8.')) return { path: real.path };
      return { path: real.path, namespace: 'narrow-string-width' };
    });
    build.onLoad({ filter: /.*/, namespace: 'narrow-string-width' }, (args) => ({
      contents: [
        `import stringWidth from ${JSON.stringify(args.path)};`,
        "import stripAnsi from 'strip-ansi';",
        `import { narrowWidth } from ${JSON.stringify(join(app, 'src/tui/narrow-string-width.ts'))};`,
        'export default (text, options) =>',
        '  (options === undefined ? narrowWidth(text, stripAnsi) : undefined) ?? stringWidth(text, options);',
      ].join('\n'),
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

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
