// The esbuild plugins of the app's bundle (scripts/bundle.mjs), shared with the start-up snapshot
// experiment (bench/snapshot), which bundles the same sources into one CommonJS file.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

const app = resolve(import.meta.dirname, '..');

// Yoga (Ink's layout engine) inlines its WebAssembly as a base64 data: URL and, because Node has a
// global fetch(), loads it through fetch(): that first touches undici (≈ 50 ms of module loading
// before the first frame) and then percent-decodes 120 kB. Shadowing fetch and atob in that one
// module makes its own fallback decode the base64 directly, with Buffer's native decoder.
export const yogaWasmWithoutFetch = {
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
export const narrowStringWidth = {
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
