// Needs a reachable Secret Service: the main test run is wrapped in scripts/with-keyring.sh.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, runCli, tempDir } from './run-cli.js';

describe('mfakit init with the OS keychain', () => {
  it('creates a keychain vault that later commands open without a passphrase', async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run under scripts/with-keyring.sh').toBeTruthy();
    const env = baseEnv({ MFAKIT_VAULT: join(tempDir(), 'vault.mfakit') });
    const init = await runCli(['init', '--json'], env);
    expect(init.stderr).toBe('');
    expect(JSON.parse(init.stdout).slots).toEqual(['keychain']);
    const add = await runCli(['add', '--issuer', 'Keyed', '--secret', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'], env);
    expect(add.code).toBe(0);
    const code = await runCli(['code', 'keyed'], env);
    expect(code.code).toBe(0);
    expect(code.stdout).toMatch(/^\d{6}\n$/);
  });

  it('says clearly when no Secret Service is reachable, and writes nothing', async () => {
    const vaultPath = join(tempDir(), 'vault.mfakit');
    const env = baseEnv({ MFAKIT_VAULT: vaultPath, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/mfakit-bus' });
    const init = await runCli(['init', '--keychain'], env);
    expect(init.code).toBe(3);
    expect(init.stderr).toMatch(/keychain/i);
    expect(init.stderr).toMatch(/passphrase/i);
    expect(existsSync(vaultPath)).toBe(false);
    // Without --keychain (the default choice) the message names the way that works without one.
    const plain = await runCli(['init'], env);
    expect(plain.code).toBe(3);
    expect(plain.stderr).toContain('mfakit init --passphrase');
    expect(existsSync(vaultPath)).toBe(false);
  });
});
