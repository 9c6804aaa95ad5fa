/**
 * The root entry runs in browsers and edge runtimes: following its imports from src/index.ts,
 * nothing is a `node:` module, `Buffer`, or a package other than @mfakit/core and @noble/*.
 * (@simplewebauthn/server and node:crypto are only reached through the `@mfakit/u2f/webauthn` and
 * `@mfakit/u2f/node` subpaths.)
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const source = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function importGraph(entry: string): { files: Set<string>; packages: Set<string>; buffers: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const buffers: string[] = [];
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    if (/\bBuffer\b/.test(text)) buffers.push(file);
    for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)) {
      const specifier = match[1] as string;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(resolve(source, entry));
  return { files, packages, buffers };
}

test('the root entry imports only standard code', () => {
  const { files, packages, buffers } = importGraph('index.ts');
  expect(files.size).toBeGreaterThan(10);
  expect(buffers).toEqual([]);
  for (const name of packages) expect(name).toMatch(/^(@mfakit\/core|@noble\/(curves|hashes|ciphers)\/)/);
});

test('positive controls: the Node-only subpaths do reach @simplewebauthn/server and node:crypto', () => {
  expect([...importGraph('webauthn/index.ts').packages].some((name) => name.startsWith('@simplewebauthn/server'))).toBe(
    true,
  );
  expect([...importGraph('node/index.ts').packages]).toContain('node:crypto');
});
