/**
 * `pnpm docs` (TypeDoc over every public entry point) succeeds with not-documented validation
 * treated as an error (typedoc.json: `validation.notDocumented`, `treatValidationWarningsAsErrors`):
 * every exported function, class, interface, type, constant and method of the packages listed in
 * `packagesRequiringDocumentation` has a doc comment, and no doc link is broken.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { publishablePackages, repositoryRoot } from './workspace-packages.js';

test('TypeDoc validates every public entry point without a warning', () => {
  const typedoc = join(repositoryRoot, 'node_modules/.bin/typedoc');
  const result = spawnSync(typedoc, ['--emit', 'none'], { cwd: repositoryRoot, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`;
  expect(output).not.toMatch(/\[(warning|error)\]/);
  expect(result.status, output).toBe(0);
});

test('every entry point of every published package is in the API reference', () => {
  const config = JSON.parse(readFileSync(join(repositoryRoot, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
  for (const { directory, manifest } of publishablePackages()) {
    for (const [subpath, conditions] of Object.entries(manifest.exports)) {
      const source = conditions['@mfakit/source'] as string;
      const relative = join(directory, source).slice(repositoryRoot.length);
      expect(config.entryPoints, `${manifest.name} ${subpath}: run node scripts/sync-publish-config.mjs`).toContain(
        relative,
      );
    }
  }
});
