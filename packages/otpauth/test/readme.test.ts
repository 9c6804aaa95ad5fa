/** The README's example is the example file, and the example runs and prints a scannable QR code. */
import { readFileSync } from 'node:fs';
import { parseOtpauthUri } from '@mfakit/otpauth';
import { afterEach, expect, test, vi } from 'vitest';
import { decodeTerminal } from './support/qr-decode.js';

afterEach(() => {
  vi.restoreAllMocks();
});

test('README embeds examples/terminal-qr.ts verbatim', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('../examples/terminal-qr.ts', import.meta.url), 'utf8').trimEnd();
  expect(readme).toContain(`\`\`\`ts\n${example}\n\`\`\``);
});

test('the example prints a QR code of a valid otpauth URI for alice at ACME', async () => {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text: string) => printed.push(text));
  const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
  await import('../examples/terminal-qr.js');
  expect(warned).not.toHaveBeenCalled();
  const uri = decodeTerminal(printed[0] as string, true, true);
  expect(parseOtpauthUri(uri)).toMatchObject({
    type: 'totp',
    issuer: 'ACME Co',
    account: 'alice@example.com',
    digits: 6,
    period: 30,
  });
  expect(parseOtpauthUri(uri).secret).toHaveLength(20);
});
