#!/usr/bin/env node
// `npx -y pnpm@10 -s install-bin [--dir DIR] [--remove]`: puts `mfakit` on PATH from this clone, as
// a symbolic link DIR/mfakit → scripts/start.mjs (default DIR: $XDG_BIN_HOME, else ~/.local/bin).
// The link runs the clone's current code: after a `git pull` the first start rebuilds the bundle
// (start.mjs checks the sources), so there is nothing to reinstall. Never replaces a file that is
// not its own link.
import { chmodSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, remove: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  process.stdout.write('usage: install-bin [--dir DIR] [--remove]   (DIR default: $XDG_BIN_HOME or ~/.local/bin)\n');
  process.exit(0);
}
const target = resolve(import.meta.dirname, 'start.mjs');
const env = process.env;
const dir = resolve(values.dir ?? env.XDG_BIN_HOME ?? join(homedir(), '.local', 'bin'));
const link = join(dir, 'mfakit');

function existing() {
  try {
    const stat = lstatSync(link);
    return stat.isSymbolicLink() ? { ours: resolve(dir, readlinkSync(link)) === target } : { ours: false };
  } catch {
    return undefined;
  }
}

const found = existing();
if (values.remove) {
  if (found === undefined) process.stderr.write(`Nothing to remove: ${link} does not exist.\n`);
  else if (!found.ours) {
    process.stderr.write(`${link} is not a link to this clone; left alone.\n`);
    process.exit(1);
  } else {
    rmSync(link);
    process.stderr.write(`Removed ${link}.\n`);
  }
  process.exit(0);
}
if (found !== undefined && !found.ours) {
  process.stderr.write(`${link} already exists and is not a link to this clone; remove it first, or use --dir.\n`);
  process.exit(1);
}
mkdirSync(dir, { recursive: true });
if (found === undefined) symlinkSync(target, link);
chmodSync(target, 0o755);
const onPath = (process.env.PATH ?? '').split(delimiter).some((entry) => entry !== '' && resolve(entry) === dir);
process.stderr.write(`${found === undefined ? 'Linked' : 'Already linked:'} ${link} → ${target}\n`);
process.stderr.write(
  onPath
    ? 'Run `mfakit`. After a git pull its first start rebuilds the app.\n'
    : `${dir} is not on your PATH: add \`export PATH="${dir}:$PATH"\` to your shell's profile, then run \`mfakit\`.\n`,
);
