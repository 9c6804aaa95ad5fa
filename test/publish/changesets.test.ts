/**
 * Every changeset parses as `changeset version` reads it: YAML front matter between `---` lines
 * (the regular expression of @changesets/parse) naming published packages with a bump kind, then
 * a summary. A formatter once rewrote the front matter into a Markdown heading, and the release
 * command then failed on every changeset.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { publishablePackages, repositoryRoot } from './workspace-packages.js';

/** @changesets/parse's front matter pattern (its `[^]`, "any character", written `[\s\S]`). */
const FRONT_MATTER = /\s*---([\s\S]*?)\n\s*---(\s*(?:\n|$)[\s\S]*)/;
const RELEASE = /^'(@mfakit\/[a-z0-9-]+)': (major|minor|patch)$/;

const directory = join(repositoryRoot, '.changeset');
const changesets = readdirSync(directory).filter((name) => name.endsWith('.md') && name !== 'README.md');
const published = new Set(publishablePackages().map((pkg) => pkg.name));

test('there are changesets to check', () => {
  expect(changesets.length).toBeGreaterThan(0);
});

test.each(changesets)('%s names published packages with a bump kind, then a summary', (name) => {
  const text = readFileSync(join(directory, name), 'utf8');
  const match = FRONT_MATTER.exec(text);
  expect(match, 'front matter between --- lines').not.toBeNull();
  const releases = (match?.[1] ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  expect(releases.length).toBeGreaterThan(0);
  for (const line of releases) {
    const release = RELEASE.exec(line);
    expect(release, `"${line}" is not 'package': major|minor|patch`).not.toBeNull();
    expect(published.has(release?.[1] as string), `${release?.[1]} is a published package`).toBe(true);
  }
  expect((match?.[2] ?? '').trim().length).toBeGreaterThan(20);
});
