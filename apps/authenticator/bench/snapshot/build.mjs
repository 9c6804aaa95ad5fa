// Builds the start-up snapshot experiment (README, "Start-up time"): bundles bench/snapshot/entry.ts
// and the app into one CommonJS file, DIR/entry.cjs, then `node --build-snapshot` turns it into
// DIR/mfakit.blob. DIR is dist/snapshot, or the directory given as the first argument, which must be
// a directory of the app's dist/ (the blob finds the app's node_modules two levels up). Run the app
// from it with (the `--` keeps Node from reading mfakit's own options, such as --version):
//   node --snapshot-blob apps/authenticator/dist/snapshot/mfakit.blob -- [mfakit arguments]
// Everything below works around something a V8 startup snapshot of Node 20 cannot hold or do.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { narrowStringWidth, yogaWasmWithoutFetch } from '../../scripts/bundle-plugins.mjs';

const app = resolve(import.meta.dirname, '../..');
const outdir = resolve(process.argv[2] ?? join(app, 'dist/snapshot'));
if (dirname(outdir) !== join(app, 'dist')) throw new Error(`${outdir} is not a directory of ${join(app, 'dist')}`);

/** Replaces `from` by `to` in one module, failing the build when `from` is gone (the module changed). */
function patch(filter, replacements) {
  return {
    name: `patch-${filter}`,
    setup(build) {
      build.onLoad({ filter }, async (args) => {
        let source = await readFile(args.path, 'utf8');
        for (const [from, to] of replacements) {
          if (!source.includes(from)) throw new Error(`${args.path} no longer contains ${JSON.stringify(from)}`);
          source = source.replace(from, to);
        }
        return {
          contents: source,
          loader: args.path.endsWith('.tsx') ? 'tsx' : args.path.endsWith('.ts') ? 'ts' : 'js',
        };
      });
    },
  };
}

// A snapshot is built from one CommonJS script, and `WebAssembly` does not exist while it is built: Yoga (Ink's layout) is
// loaded after the snapshot starts. Ink imports `yoga-layout` (whose index awaits the wasm at the top
// level); here it gets an object with Yoga's enums now and its Node/Config classes once loaded.
const yogaAfterStart = {
  name: 'yoga-after-start',
  setup(build) {
    build.onResolve({ filter: /^yoga-layout$|^mfakit:yoga$/ }, async () => {
      const ink = await build.resolve('ink', { kind: 'import-statement', resolveDir: app });
      const load = await build.resolve('yoga-layout/load', { kind: 'import-statement', resolveDir: dirname(ink.path) });
      if (load.errors.length > 0) return { errors: load.errors };
      return { path: load.path, namespace: 'mfakit-yoga' };
    });
    build.onLoad({ filter: /.*/, namespace: 'mfakit-yoga' }, (args) => ({
      contents: [
        `import * as yoga from ${JSON.stringify(args.path)};`,
        'const Yoga = { ...yoga };',
        'export default Yoga;',
        'export async function loadYogaWasm() { Object.assign(Yoga, await yoga.loadYoga()); }',
      ].join('\n'),
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

// Chalk (Ink's colours) decides its colour level when it loads, from the terminal and environment:
// in a snapshot that is the build's. The entry sets it again when the snapshot starts.
const chalkLevelAtStart = {
  name: 'chalk-level-at-start',
  setup(build) {
    build.onResolve({ filter: /^mfakit:chalk$/ }, async () => {
      const ink = await build.resolve('ink', { kind: 'import-statement', resolveDir: app });
      const chalk = await build.resolve('chalk', { kind: 'import-statement', resolveDir: dirname(ink.path) });
      if (chalk.errors.length > 0) return { errors: chalk.errors };
      return { path: chalk.path, namespace: 'mfakit-chalk' };
    });
    build.onLoad({ filter: /.*/, namespace: 'mfakit-chalk' }, (args) => ({
      contents: [
        "import tty from 'node:tty';",
        `import chalk, { chalkStderr } from ${JSON.stringify(args.path)};`,
        `import { createSupportsColor } from ${JSON.stringify(join(dirname(args.path), 'vendor/supports-color/index.js'))};`,
        'export function refreshColorLevel() {',
        '  chalk.level = createSupportsColor({ isTTY: tty.isatty(1) })?.level ?? 0;',
        '  chalkStderr.level = createSupportsColor({ isTTY: tty.isatty(2) })?.level ?? 0;',
        '}',
      ].join('\n'),
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

// The keychain's native addon cannot be in a snapshot: it is loaded when used, from the app's
// node_modules (a snapshot's own `require` knows only Node's built-in modules).
const atRunTime = {
  name: 'at-run-time',
  setup(build) {
    build.onResolve({ filter: /^@napi-rs\/keyring$/ }, (args) => ({
      path: args.path,
      namespace: 'run-time',
    }));
    build.onLoad({ filter: /.*/, namespace: 'run-time' }, (args) => ({
      contents: `module.exports = globalThis.__mfakitSnapshot.require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

// A script started from a snapshot has no dynamic import(): the lazy imports of Node's modules
// become require() calls.
const builtinsRequired = {
  name: 'builtins-required',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

const app_ = (path) => new RegExp(`${path.replace(/[.\\/]/g, (c) => `\\${c}`)}$`);
const plugins = [
  yogaWasmWithoutFetch,
  narrowStringWidth,
  yogaAfterStart,
  chalkLevelAtStart,
  atRunTime,
  builtinsRequired,
  // Top-level awaits, which a CommonJS script cannot have. Ink's is for React devtools (DEV=true only).
  patch(/ink[\\/]build[\\/]reconciler\.js$/, [
    ["await import('./devtools.js')", 'undefined'],
    ['await loadPackageJson()', '{ name: undefined, version: undefined }'],
  ]),
  patch(app_('src/main.ts'), [
    [
      "const invokedDirectly =\n  process.argv[1] !== undefined && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href;\nif (invokedDirectly) {\n  process.exitCode = await main(process.argv.slice(2));\n}",
      '',
    ],
    ['import.meta.url', 'globalThis.__mfakitSnapshot.appUrl'],
  ]),
  // Ink and React wait for Yoga's wasm, which loads while the vault unlocks.
  patch(app_('src/tui/run-tui.ts'), [
    ["import('./start-app.js')", "globalThis.__mfakitSnapshot.yoga().then(() => import('./start-app.js'))"],
  ]),
];

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [join(app, 'bench/snapshot/entry.ts')],
  outfile: join(outdir, 'entry.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  conditions: ['@mfakit/source'],
  jsx: 'automatic',
  // V8 cannot serialise Intl objects, and string-width, slice-ansi and wrap-ansi make a segmenter
  // when they load: see lazy-segmenter.js.
  define: { 'process.env.NODE_ENV': '"production"', 'Intl.Segmenter': 'LazySegmenter' },
  inject: [join(app, 'bench/snapshot/lazy-segmenter.js')],
  external: ['react-devtools-core'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins,
});
const bundled = readFileSync(join(outdir, 'entry.cjs'), 'utf8');
const dynamicImport = /[^.\w]import\((["'`]).{0,60}/.exec(bundled);
if (dynamicImport !== null) throw new Error(`a dynamic import is left in the snapshot bundle: ${dynamicImport[0]}`);
const blob = join(outdir, 'mfakit.blob');
// Built with an environment of its own, not the caller's: modules that read the environment when they
// load (is-in-ci, ansi-escapes, protobuf's BUF_BIGINT_DISABLE) keep what they read in the blob.
const built = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', join(outdir, 'entry.cjs')], {
  cwd: outdir,
  env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
  encoding: 'utf8',
});
if (built.status !== 0) throw new Error(`node --build-snapshot failed (${built.status}):\n${built.stderr}`);
// Node warns about each built-in module it has not verified in snapshots; say which, once.
const unverified = [...built.stderr.matchAll(/built-in module "([^"]+)" works in user snapshot/g)].map((m) => m[1]);
if (unverified.length > 0) {
  process.stderr.write(`Built ${blob}; Node has not verified these built-ins in snapshots: ${unverified.join(', ')}\n`);
}
