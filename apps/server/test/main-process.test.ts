import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

test('the server starts on a SQLite file in the data directory, prints it and its URL, and stops gracefully on SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mfakit-server-main-'));
  const child = spawn(
    process.execPath,
    ['--conditions=@mfakit/source', '--import', 'tsx', MAIN, '--port', '0', '--data-dir', dataDir],
    { env: { ...process.env, NODE_ENV: 'development' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line in 60 s: ${stdout}`)), 60_000);
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match && stdout.includes('data: ')) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      });
    });
    expect(stdout).toContain(`data: ${join(dataDir, 'mfakit.db')}`);
    expect(existsSync(join(dataDir, 'mfakit.db'))).toBe(true);
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' });
    const page = await fetch(`${url}/sign-up`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // A request in flight when SIGTERM arrives is answered; then the process exits cleanly.
    const inFlight = fetch(`${url}/sign-in`);
    child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(await exited).toBe(0);
    expect(stdout).toContain('stopped');
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 90_000);
