// Start-up stays lean: `mfakit code` must not load the TUI stack (React, Ink), the QR code and
// import/export libraries, or the passphrase strength checker (zxcvbn). Checked by recording every module the process resolves.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, MAIN, REPO_ROOT, runCli, tempDir } from './run-cli.js';

const HOOK = join(import.meta.dirname, 'fixtures/record-imports.mjs');

describe('lazy imports', () => {
  it('mfakit code loads neither react, ink, qrcode, @mfakit/otpauth nor zxcvbn', async () => {
    const dir = tempDir();
    const env = baseEnv({ MFAKIT_VAULT: join(dir, 'vault.mfakit'), MFAKIT_PASSPHRASE: 'lean' });
    expect((await runCli(['init', '--scrypt-log-n', '15'], env)).code).toBe(0);
    expect((await runCli(['add', '--issuer', 'Lean', '--secret', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'], env)).code).toBe(
      0,
    );
    const log = join(dir, 'imports.log');
    const result = spawnSync(
      process.execPath,
      ['--conditions=@mfakit/source', '--import', 'tsx', '--import', HOOK, MAIN, 'code', 'lean'],
      { cwd: REPO_ROOT, env: { ...env, MFAKIT_IMPORT_LOG: log }, encoding: 'utf8' },
    );
    expect(result.status, result.stderr).toBe(0);
    const modules = readFileSync(log, 'utf8').split('\n');
    expect(modules.some((url) => url.includes('packages/vault/src'))).toBe(true);
    const heavy = modules.filter((url) =>
      /\/(react|ink|react-reconciler|qrcode|qrcode-terminal|yoga-layout|@zxcvbn-ts)\/|packages\/otpauth\/|\/tui\/|passphrase-strength/.test(
        url,
      ),
    );
    expect(heavy).toEqual([]);
  });
});
