// Import and export agree with each other and with what the user sees: several Google
// Authenticator exports in one file, a Steam line named as the Aegis import names it, a
// re-import after a rename that adds nothing, and skipped entries named.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMigrationUris } from '@mfakit/otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, runCli, tempDir } from './run-cli.js';

// Sample exports of other apps, written from each format's public description (packages/otpauth).
const SAMPLES = join(import.meta.dirname, '../../../packages/otpauth/test/fixtures/formats');
const SECRET_A = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const SECRET_B = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const SECRET_C = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';

describe('import consistency', () => {
  const dir = tempDir();
  const env = baseEnv({ MFAKIT_VAULT: join(dir, 'vault.mfakit'), MFAKIT_PASSPHRASE: 'import test' });
  const cli = (args: string[]) => runCli(args, env);

  beforeAll(async () => {
    expect((await cli(['init', '--scrypt-log-n', '15'])).code).toBe(0);
  }, 60_000);

  it('imports a file holding two Google Authenticator exports (two batches), each whole', async () => {
    const bytes = (text: string) => Uint8Array.from(Buffer.from(text.padEnd(20, 'x').slice(0, 20)));
    const first = buildMigrationUris(
      [
        { secret: bytes('first one'), issuer: 'One', account: 'a' },
        { secret: bytes('first two'), issuer: 'Two', account: 'b' },
      ],
      { maxAccountsPerQr: 1, batchId: 11 },
    );
    const second = buildMigrationUris([{ secret: bytes('second one'), issuer: 'Three', account: 'c' }], {
      batchId: 22,
    });
    const file = join(dir, 'two-exports.txt');
    writeFileSync(file, `# first export\n${first.join('\n')}\n# second export\n${second.join('\n')}\n`);
    const imported = await cli(['import', file, '--json']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const list = JSON.parse((await cli(['list', '--json'])).stdout);
    expect(list.map((account: { issuer: string }) => account.issuer)).toEqual(['One', 'Two', 'Three']);
  });

  it('names a Steam line in a URI list as the Aegis import does, and imports the rest', async () => {
    const file = join(dir, 'uris.txt');
    writeFileSync(
      file,
      `otpauth://steam/Steam:gaben?secret=${SECRET_B}&issuer=Steam\notpauth://totp/Four:d?secret=${SECRET_C}&issuer=Four\n`,
    );
    const imported = await cli(['import', file]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('skipped line 1: is a Steam token, which mfakit does not support');
    expect(imported.stderr).not.toContain("'totp' or 'hotp'");
  });

  it('does not import an account again after it was renamed (same secret)', async () => {
    expect((await cli(['add', '--issuer', 'Five', '--account', 'e', '--secret', SECRET_A])).code).toBe(0);
    const exported = await cli(['export', 'five', '--format', 'uri']);
    expect((await cli(['rename', 'five', '--issuer', 'Renamed'])).code).toBe(0);
    const file = join(dir, 'again.txt');
    writeFileSync(file, exported.stdout);
    const again = await cli(['import', file, '--json']);
    expect(again.code).toBe(0);
    const list = JSON.parse((await cli(['list', '--json'])).stdout);
    expect(list.filter((account: { issuer: string }) => account.issuer === 'Five')).toEqual([]);
    expect(list.filter((account: { issuer: string }) => account.issuer === 'Renamed')).toHaveLength(1);
  });

  it.each([
    ['2fas-backup.2fas', ['GitHub', 'Bank'], 'entry 3 Steam (gaben): This entry is a Steam token'],
    ['andotp-accounts.json', ['GitHub', 'Example', 'Bank'], 'entry 4 Steam (gaben): This entry is a Steam token'],
    ['freeotp-plus-backup.json', ['GitHub', 'Bank'], 'entry 3 Old (md5): This entry uses a hash'],
    ['bitwarden-export.json', ['GitHub', 'Example Forum'], 'entry 3 Steam (gaben): This entry is a Steam token'],
  ])(
    'imports the sample %s into a new vault, naming what it skips',
    async (name, issuers, skippedLine) => {
      const sampleEnv = baseEnv({ MFAKIT_VAULT: join(tempDir(), 'sample.mfakit'), MFAKIT_PASSPHRASE: 'import test' });
      expect((await runCli(['init', '--scrypt-log-n', '15'], sampleEnv)).code).toBe(0);
      const file = join(dir, name);
      writeFileSync(file, readFileSync(join(SAMPLES, name)));
      const imported = await runCli(['import', file], sampleEnv);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stderr).toContain(`skipped ${skippedLine}`);
      expect(imported.stdout).not.toMatch(/JBSWY3DP|GEZDGNBV|MFRGGZDF/);
      const list = JSON.parse((await runCli(['list', '--json'], sampleEnv)).stdout);
      expect(list.map((account: { issuer: string }) => account.issuer)).toEqual(issuers);
    },
    60_000,
  );
});
