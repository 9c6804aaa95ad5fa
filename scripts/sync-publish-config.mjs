#!/usr/bin/env node
// Makes every publishable package (packages/*, not private) ready for `pnpm pack`: its
// publishConfig.exports are its exports without the repository-only `@mfakit/source` condition
// (`types` first), its files include src/ (where the declaration maps point) and CHANGELOG.md,
// its build script is scripts/build-package.mjs, and it has the repository's LICENSE; typedoc.json
// lists every entry point. Run it after adding a package or an entry point; the publish test
// (test/publish) fails until it has been run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entryPoints = [];
const written = [];
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const directory = join(root, 'packages', name);
  const manifestPath = join(directory, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private === true) continue;
  const published = Object.fromEntries(
    Object.entries(manifest.exports).map(([subpath, { '@mfakit/source': source, ...conditions }]) => {
      entryPoints.push(`packages/${name}/${source.replace(/^\.\//, '')}`);
      return [subpath, conditions];
    }),
  );
  const files = new Set(manifest.files ?? ['dist']);
  files.add('src');
  files.add('CHANGELOG.md');
  const ordered = {};
  for (const [key, value] of Object.entries(manifest)) {
    if (key === 'publishConfig') continue;
    ordered[key] = value;
    if (key === 'exports') ordered.publishConfig = { ...manifest.publishConfig, exports: published };
  }
  ordered.files = [...files];
  ordered.scripts = { ...manifest.scripts, build: 'node ../../scripts/build-package.mjs' };
  writeFileSync(manifestPath, `${JSON.stringify(ordered, null, 2)}\n`);
  written.push(manifestPath);
  copyFileSync(join(root, 'LICENSE'), join(directory, 'LICENSE'));
  for (const file of ['README.md', 'CHANGELOG.md']) {
    if (!existsSync(join(directory, file))) console.warn(`${manifest.name}: ${file} is missing; write one`);
  }
}
const typedocPath = join(root, 'typedoc.json');
const typedoc = JSON.parse(readFileSync(typedocPath, 'utf8'));
typedoc.entryPoints = entryPoints;
writeFileSync(typedocPath, `${JSON.stringify(typedoc, null, 2)}\n`);
// In the repository's formatting, so an unchanged configuration leaves no diff.
spawnSync(join(root, 'node_modules/.bin/biome'), ['format', '--write', typedocPath, ...written], { stdio: 'ignore' });
console.log(`sync-publish-config: ${entryPoints.length} entry points`);
