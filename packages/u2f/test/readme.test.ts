/** The README's examples are the example files, and they run and print what their comments say. */
import { readFileSync } from 'node:fs';
import { afterEach, expect, test, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
});

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test.each(['raw-u2f.ts', 'webauthn.ts'])('README embeds examples/%s verbatim', (file) => {
  const example = readFileSync(new URL(`../examples/${file}`, import.meta.url), 'utf8').trimEnd();
  expect(readme).toContain(`\`\`\`ts\n${example}\n\`\`\``);
});

async function printedBy(path: string): Promise<unknown[]> {
  const printed: unknown[] = [];
  vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => printed.push(values));
  await import(path);
  return printed;
}

test('the raw U2F example signs in once and gets "wrong data" for another app id', async () => {
  expect(await printedBy('../examples/raw-u2f.js')).toEqual([
    [{ ok: true, counter: 1, userPresent: true }],
    [{ ok: false, statusWord: 0x6a80, reason: 'wrong_data' }],
  ]);
});

test('the WebAuthn example registers (fido-u2f), signs in, and catches the clone', async () => {
  expect(await printedBy('../examples/webauthn.js')).toEqual([
    ['fido-u2f', 0],
    [{ ok: true, signCount: 1, userVerified: false }],
    [{ ok: false, reason: 'webauthn_counter_regression' }],
  ]);
});
