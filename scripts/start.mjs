#!/usr/bin/env node
// `pnpm start`: runs the `mfakit` app from this clone as it is installed, from its esbuild bundle
// (apps/authenticator/scripts/bundle.mjs), which starts several times faster than the TypeScript
// sources through tsx. The bundle is built on the first start and again whenever a source file it
// comes from is newer than it (≈ 1 s); otherwise starting costs a few file stats.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const app = join(root, 'apps/authenticator');
const bundle = join(app, 'dist/bundle/main.js');
// What the bundle is built from: the app and the workspace packages it imports (by source).
const inputs = [
  join(app, 'src'),
  join(app, 'scripts'), // bundle.mjs and its plugins
  join(app, 'package.json'),
  join(root, 'packages/core/src'),
  join(root, 'packages/otpauth/src'),
  join(root, 'packages/vault/src'),
  join(root, 'pnpm-lock.yaml'),
];

function newestChange(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

const builtAt = existsSync(bundle) ? statSync(bundle).mtimeMs : -1;
if (inputs.some((input) => newestChange(input) > builtAt)) {
  process.stderr.write(builtAt < 0 ? 'Building mfakit (first start)…\n' : 'Rebuilding mfakit (sources changed)…\n');
  const built = spawnSync(process.execPath, [join(app, 'scripts/bundle.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) {
    process.stderr.write(
      'mfakit: the build failed (see above); `npx -y pnpm@10 install` first if this is a fresh clone.\n',
    );
    process.exit(1);
  }
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
