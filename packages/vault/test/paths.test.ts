/** Where the vault lives: option, then MFAKIT_VAULT, then the user's config directory (env-paths). */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { backupPath, resolveVaultPath } from '@mfakit/vault';
import { afterEach, expect, test, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
});

test('an explicit path wins over MFAKIT_VAULT and is made absolute', () => {
  expect(resolveVaultPath({ path: 'relative/v.mfakit', env: { MFAKIT_VAULT: '/elsewhere/v' } })).toBe(
    resolve('relative/v.mfakit'),
  );
});

test('MFAKIT_VAULT is used when no path is given', () => {
  expect(resolveVaultPath({ env: { MFAKIT_VAULT: '/srv/mfa/vault.mfakit' } })).toBe('/srv/mfa/vault.mfakit');
});

test('the default is vault.mfakit in the user config directory, without env-paths\' "-nodejs" suffix', () => {
  vi.stubEnv('XDG_CONFIG_HOME', '/home/test/.config');
  vi.stubEnv('APPDATA', 'C:\\Users\\test\\AppData\\Roaming');
  vi.stubEnv('MFAKIT_VAULT', undefined);
  const configDirectory = {
    darwin: join(homedir(), 'Library', 'Preferences', 'mfakit'),
    win32: join('C:\\Users\\test\\AppData\\Roaming', 'mfakit', 'Config'),
  }[process.platform as string];
  const expected = resolve(configDirectory ?? join('/home/test/.config', 'mfakit'), 'vault.mfakit');
  expect(resolveVaultPath()).toBe(expected);
  // An empty MFAKIT_VAULT counts as unset.
  expect(resolveVaultPath({ env: { MFAKIT_VAULT: '' } })).toBe(expected);
});

test('the backup sits next to the vault', () => {
  expect(backupPath('/a/vault.mfakit')).toBe('/a/vault.mfakit.bak');
});

test('a non-string or empty path is a TypeError', () => {
  expect(() => resolveVaultPath({ path: '' })).toThrow(TypeError);
  expect(() => resolveVaultPath({ path: 42 as never })).toThrow(TypeError);
});
