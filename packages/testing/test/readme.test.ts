import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

// The README's example must be the test file that runs in CI, character for character.
test('README example is test/readme-example.test.ts verbatim', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8');
  const block = /<!-- example: test\/readme-example\.test\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
  expect(block, 'README is missing the marked example block').not.toBeNull();
  expect(block?.[1]).toBe(example);
});
