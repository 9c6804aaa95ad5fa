/**
 * @module
 * Builds and packs the publishable packages (every non-private package under packages/) the way
 * a release would: `scripts/build-package.mjs` in each (clean dist/, tsc), then `pnpm pack`, which
 * turns `workspace:*` into versions and applies `publishConfig` (the exports without the
 * repository-only `@mfakit/source` condition).
 */
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface WorkspacePackage {
  /** e.g. `@mfakit/core` */
  name: string;
  /** Absolute directory. */
  directory: string;
  /** The package.json in the repository. */
  manifest: Record<string, unknown> & { exports: Record<string, Record<string, string>> };
}

export function publishablePackages(): WorkspacePackage[] {
  const packagesDirectory = join(repositoryRoot, 'packages');
  return readdirSync(packagesDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(packagesDirectory, entry.name))
    .flatMap((directory) => {
      let manifest: WorkspacePackage['manifest'];
      try {
        manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
      } catch {
        return [];
      }
      return manifest.private === true ? [] : [{ name: String(manifest.name), directory, manifest }];
    });
}

/** `pnpm` when it is on the PATH (inside `pnpm test` / `pnpm exec`), else through npx. */
function pnpmCommand(): string[] {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? ['pnpm'] : ['npx', '-y', 'pnpm@10'];
}

/** Builds every package (in parallel: each compiles its own sources and its dependencies' sources). */
export async function buildAll(packages: WorkspacePackage[]): Promise<void> {
  const script = join(repositoryRoot, 'scripts/build-package.mjs');
  await Promise.all(
    packages.map(async ({ name, directory }) => {
      try {
        await run(process.execPath, [script], { cwd: directory });
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`building ${name} failed:\n${stdout ?? ''}${stderr ?? ''}`);
      }
    }),
  );
}

/** Packs every package into `destination`; returns the tarball path of each package name. */
export async function packAll(packages: WorkspacePackage[], destination: string): Promise<Map<string, string>> {
  const [command, ...prefix] = pnpmCommand() as [string, ...string[]];
  const tarballs = new Map<string, string>();
  for (const { name, directory } of packages) {
    const { stdout } = await run(command, [...prefix, 'pack', '--json', '--pack-destination', destination], {
      cwd: directory,
    });
    const report = JSON.parse(stdout) as { filename: string };
    tarballs.set(name, report.filename.startsWith('/') ? report.filename : join(destination, report.filename));
  }
  return tarballs;
}
