/**
 * The lint rule that keeps @mfakit/core and @mfakit/otpauth portable (biome.json, overrides:
 * noNodejsModules and noRestrictedGlobals for Buffer, process, require, …) is applied to their
 * sources, catches what it must (positive controls: probe files at the same paths in a scratch
 * directory that has the repository's biome.json) and finds nothing in the sources as they are.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const biome = join(root, 'node_modules/.bin/biome');
const scratch = mkdtempSync(join(tmpdir(), 'mfakit-lint-'));
// The repository's configuration as it is, except that the scratch directory is no git work tree.
const configuration = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
configuration.$schema = undefined;
configuration.vcs = { enabled: false };
writeFileSync(join(scratch, 'biome.json'), JSON.stringify(configuration));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lint(args: string[], cwd = root): { status: number | null; output: string } {
  const result = spawnSync(biome, ['lint', '--max-diagnostics=50', ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

let probes = 0;
/** Lints `source` as if it were a file of `directory` (relative to the repository root). */
function lintProbe(directory: string, source: string): { status: number | null; output: string } {
  const path = join(directory, `probe-${++probes}.ts`);
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), source);
  return lint([path], scratch);
}

const FORBIDDEN: Record<string, string> = {
  Buffer: "export const size = Buffer.byteLength('x');\n",
  process: 'export const home = process.env.HOME;\n',
  'node: import': "import { createHmac } from 'node:crypto';\nexport const mac = createHmac;\n",
  'bare built-in import': "import { readFileSync } from 'fs';\nexport const read = readFileSync;\n",
  require: "export const lib = require('thirty-two');\n",
};

describe('no Node APIs in the portable packages', () => {
  test.each(['packages/core/src', 'packages/otpauth/src'])('%s: each forbidden use is reported', (directory) => {
    for (const [what, source] of Object.entries(FORBIDDEN)) {
      const { status, output } = lintProbe(directory, source);
      expect(status, `${what} in ${directory} was not reported:\n${output}`).not.toBe(0);
      expect(output).toMatch(/noNodejsModules|noRestrictedGlobals/);
    }
  });

  test('the same code elsewhere (registry, a Node-only package) is allowed', () => {
    const { status, output } = lintProbe('packages/registry/src', FORBIDDEN.Buffer as string);
    expect(status, output).toBe(0);
  });

  test('the sources of core and otpauth pass', () => {
    const { status, output } = lint(['packages/core/src', 'packages/otpauth/src']);
    expect(status, output).toBe(0);
  });
});
