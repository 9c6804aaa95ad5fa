// The system clipboard adapter against a stand-in `xclip` on PATH (no X server needed): copying,
// then clearing later only if the clipboard still holds the code.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClipboard } from '../src/tui/clipboard.js';
import { tempDir } from './run-cli.js';

function fakeXclip() {
  const dir = tempDir();
  const file = join(dir, 'clipboard');
  const log = join(dir, 'copies.log');
  const script = join(dir, 'xclip');
  writeFileSync(
    script,
    `#!/bin/sh\nif [ "$3" = "-o" ]; then cat "${file}"; else cat > "${file}"; echo "copy:$(cat "${file}")" >> "${log}"; fi\n`,
  );
  chmodSync(script, 0o755);
  const env = { PATH: `${dir}:${process.env.PATH}`, DISPLAY: ':0' };
  return { file, log, env };
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('systemClipboard', () => {
  it('finds xclip on X11, copies, and clears the code later', async () => {
    const { file, env } = fakeXclip();
    const clipboard = systemClipboard(env);
    expect(clipboard.tool).toBe('xclip');
    await clipboard.copy('123456');
    await until(() => existsSync(file) && readFileSync(file, 'utf8') === '123456', 'the copy');
    clipboard.clearLater('123456', 1);
    await until(() => readFileSync(file, 'utf8') === '', 'the clipboard to be cleared');
  });

  it('leaves the clipboard alone when it holds something else by then', async () => {
    const { file, log, env } = fakeXclip();
    const clipboard = systemClipboard(env);
    await clipboard.copy('123456');
    await until(() => existsSync(file) && readFileSync(file, 'utf8') === '123456', 'the copy');
    writeFileSync(file, 'copied by the user since');
    clipboard.clearLater('123456', 1000);
    // A later clearing that does match: once it has run, the first (1 s earlier) has too.
    clipboard.clearLater('copied by the user since', 2000);
    await until(() => readFileSync(file, 'utf8') === '', 'the second clearing');
    expect(readFileSync(log, 'utf8')).toBe('copy:123456\ncopy:\n');
  });

  it('reports no tool without a display', () => {
    expect(systemClipboard({ PATH: process.env.PATH }).tool).toBeUndefined();
  });
});
