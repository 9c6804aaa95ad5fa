/**
 * The packages as a user installing them from a registry gets them: every publishable package is
 * built (`scripts/build-package.mjs`) and packed (`pnpm pack`), then
 * - the tarball holds the built ESM, declarations with maps whose sources are inside the package,
 *   README, LICENSE and CHANGELOG, and nothing of the tests, fixtures or build configuration;
 * - the packed package.json has `exports` with `types` first, no repository-only condition, no
 *   `workspace:` range, `sideEffects: false`;
 * - publint finds no error or warning, and @arethetypeswrong finds no problem for node16 (ESM)
 *   and bundler resolution (the packages are ESM-only: node10 and require() are out of scope).
 * The consumer test (consumer.test.ts) installs these tarballs with npm.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { problemAffectsResolutionKind } from '@arethetypeswrong/core/problems';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildAll, packAll, publishablePackages, repositoryRoot } from './workspace-packages.js';

const packages = publishablePackages();
const scratch = mkdtempSync(join(tmpdir(), 'mfakit-pack-'));
let tarballs: Map<string, string>;

beforeAll(async () => {
  await buildAll(packages);
  tarballs = await packAll(packages, scratch);
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tarball(name: string): string {
  const path = tarballs.get(name);
  if (path === undefined) throw new Error(`${name} was not packed`);
  return path;
}

/** Paths inside the tarball, without the leading `package/`. */
function filesOf(name: string): string[] {
  return execFileSync('tar', ['-tzf', tarball(name)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''));
}

function readPacked(name: string, path: string): string {
  return execFileSync('tar', ['-xzOf', tarball(name), `package/${path}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

test('every package under packages/ is published', () => {
  expect(packages.map((pkg) => pkg.name).sort()).toEqual(
    expect.arrayContaining(['@mfakit/core', '@mfakit/otpauth', '@mfakit/registry', '@mfakit/testing', '@mfakit/vault']),
  );
});

describe.each(packages.map((pkg) => [pkg.name, pkg] as const))('%s', (name, pkg) => {
  test('the tarball holds what a user needs and nothing else', () => {
    const files = filesOf(name);
    for (const required of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/index.js',
      'dist/index.d.ts',
    ]) {
      expect(files, `${required} missing (node scripts/sync-publish-config.mjs says what to add)`).toContain(required);
    }
    expect(files.filter((file) => file.endsWith('.d.ts.map')).length).toBeGreaterThan(0);
    const unwanted = files.filter((file) =>
      /(^|\/)(test|tests|__tests__|fixtures)\/|\.test\.|\.spec\.|tsconfig.*\.json$|vitest\.config|\.tsbuildinfo$|^bench\//.test(
        file,
      ),
    );
    expect(unwanted).toEqual([]);
    expect(readPacked(name, 'LICENSE')).toBe(readFileSync(join(repositoryRoot, 'LICENSE'), 'utf8'));
  });

  test('every source map points at files inside the package', () => {
    const files = new Set(filesOf(name));
    const maps = [...files].filter((file) => file.endsWith('.map'));
    const outside: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readPacked(name, map)) as { sources: string[] };
      for (const source of sources) {
        const resolved = normalize(join(dirname(map), source));
        if (resolved.startsWith('..') || !files.has(resolved)) outside.push(`${map} → ${source}`);
      }
    }
    expect(outside).toEqual([]);
  });

  test('package.json: types-first exports of existing files, no workspace ranges, no side effects', () => {
    const manifest = JSON.parse(readPacked(name, 'package.json')) as Record<string, unknown>;
    const files = new Set(filesOf(name));
    expect(manifest.type).toBe('module');
    expect(manifest.sideEffects).toBe(false);
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(JSON.stringify(manifest.exports)).not.toContain('@mfakit/source');
    const exports = manifest.exports as Record<string, Record<string, string>>;
    // What the repository resolves through `@mfakit/source` is what is published, condition for condition.
    const expected = Object.fromEntries(
      Object.entries(pkg.manifest.exports).map(([subpath, conditions]) => {
        const { '@mfakit/source': _source, ...published } = conditions;
        return [subpath, published];
      }),
    );
    expect(exports, 'run `node scripts/sync-publish-config.mjs` after changing exports').toEqual(expected);
    for (const [subpath, conditions] of Object.entries(exports)) {
      expect(Object.keys(conditions), subpath).toEqual(['types', 'default']);
      for (const target of Object.values(conditions)) expect(files, target).toContain(target.replace(/^\.\//, ''));
    }
    // A command's file and what it imports are in the tarball (the bin shims import dist/).
    for (const [command, target] of Object.entries((manifest.bin ?? {}) as Record<string, string>)) {
      const file = target.replace(/^\.\//, '');
      expect(files, command).toContain(file);
      for (const [, imported] of readPacked(name, file).matchAll(/import '\.\.\/([^']+)'/g)) {
        expect(files, `${command} imports ${imported}`).toContain(imported);
      }
    }
  });

  test('publint: no error or warning', async () => {
    const data = readFileSync(tarball(name));
    const { messages, pkg: manifest } = await publint({
      pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
      level: 'warning',
    });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, manifest)}`)).toEqual([]);
  });

  test('are the types wrong: no problem under node16 (ESM) and bundler resolution', async () => {
    const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(tarball(name)))));
    expect(analysis.types).not.toBe(false);
    if (analysis.types === false) return;
    const problems = analysis.problems.filter(
      (problem) =>
        problemAffectsResolutionKind(problem, 'node16-esm', analysis) ||
        problemAffectsResolutionKind(problem, 'bundler', analysis),
    );
    expect(problems).toEqual([]);
  });
});

describe('a consumer project outside the workspace', () => {
  const consumer = mkdtempSync(join(tmpdir(), 'mfakit-consumer-'));
  afterAll(() => rmSync(consumer, { recursive: true, force: true }));

  test('npm installs the tarballs; tsc (strict, node16 and bundler) compiles a first program; it runs', () => {
    // The packages the program imports, and every @mfakit package they depend on (read from the
    // packed manifests), all from the tarballs.
    const wanted = ['@mfakit/core', '@mfakit/otpauth', '@mfakit/registry'];
    const needed = new Set(wanted);
    for (const name of needed) {
      const manifest = JSON.parse(readPacked(name, 'package.json')) as { dependencies?: Record<string, string> };
      for (const dependency of Object.keys(manifest.dependencies ?? {})) {
        if (dependency.startsWith('@mfakit/')) needed.add(dependency);
      }
    }
    const dependencies = Object.fromEntries([...needed].map((name) => [name, `file:${tarball(name)}`]));
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({
        name: 'mfakit-consumer',
        private: true,
        type: 'module',
        dependencies,
        // Transitive @mfakit dependencies come from the tarballs too, never from a registry.
        overrides: dependencies,
      }),
    );
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline'], {
      cwd: consumer,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(install.status, `npm install failed:\n${install.stdout}${install.stderr}`).toBe(0);
    for (const name of wanted) {
      const installed = JSON.parse(readFileSync(join(consumer, 'node_modules', name, 'package.json'), 'utf8'));
      expect(installed.version, name).toBe(packages.find((pkg) => pkg.name === name)?.manifest.version);
    }
    copyFileSync(new URL('./consumer/main.ts', import.meta.url), join(consumer, 'main.ts'));
    const tsc = join(repositoryRoot, 'node_modules/typescript/bin/tsc');
    // Strict, and the published declarations (ours and our dependencies') are checked too.
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false },
        files: ['main.ts'],
      }),
    );
    const compile = (...options: string[]) =>
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmitOnError', ...options], {
        cwd: consumer,
        encoding: 'utf8',
      });
    // Bundler resolution: type-check only, as a bundler would consume the sources.
    compile('--module', 'preserve', '--moduleResolution', 'bundler', '--noEmit');
    // Node16 resolution: compile and run what Node runs.
    compile('--module', 'node16', '--moduleResolution', 'node16', '--outDir', 'out');
    const output = execFileSync(process.execPath, ['out/main.js'], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({
      enabled: true,
      signIn: { ok: true },
      replay: { ok: false },
      issuer: 'Consumer Co',
      secretIsBytes: true,
      qr: true,
    });
  }, 180_000);
});
