// Import and export agree with each other and with what the user sees: several Google
// Authenticator exports in one file, Steam Guard tokens imported from every format that has them
// (and left out of a Google Authenticator export, named), a Yandex line named as the Aegis import
// names it, a re-import after a rename that adds nothing, and skipped entries named.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base32Decode, steamGuardCode } from '@mfakit/core';
import { buildMigrationUris } from '@mfakit/otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, runCli, tempDir } from './run-cli.js';

// Sample exports of other apps, written from each format's public description (packages/otpauth).
const SAMPLES = join(import.meta.dirname, '../../../packages/otpauth/test/fixtures/formats');
const AEGIS_SAMPLES = join(import.meta.dirname, '../../../packages/otpauth/test/fixtures/aegis');
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

  it('imports Steam lines of a URI list (otpauth://steam/, encoder=steam), names a Yandex line as the Aegis import does', async () => {
    const file = join(dir, 'uris.txt');
    writeFileSync(
      file,
      [
        `otpauth://steam/Steam:gaben?period=30&digits=5&algorithm=SHA1&secret=${SECRET_B}&issuer=Steam`,
        `otpauth://totp/Steam:second?secret=${SECRET_A}&digits=5&issuer=Steam&encoder=steam`,
        `otpauth://yaotp/Yandex:ivan?secret=${SECRET_A}&issuer=Yandex`,
        `otpauth://totp/Four:d?secret=${SECRET_C}&issuer=Four`,
      ].join('\n'),
    );
    const imported = await cli(['import', file]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('skipped line 3: is a Yandex token, which mfakit does not support');
    expect(imported.stderr).not.toMatch(/line [124]/);
    const list = JSON.parse((await cli(['list', 'steam', '--json'])).stdout);
    expect(list).toEqual([
      expect.objectContaining({ type: 'steam', name: 'gaben', digits: 5, period: 30 }),
      expect.objectContaining({ type: 'steam', name: 'second', digits: 5, period: 30 }),
    ]);
    const before = Date.now();
    const code = JSON.parse((await cli(['code', 'steam:gaben', '--json'])).stdout);
    const expected = [before, Date.now()].map((at) => steamGuardCode(base32Decode(SECRET_B), { at }));
    expect(expected).toContain(code.code);
    expect(code).toMatchObject({ type: 'steam', remainingSeconds: expect.any(Number) });
  });

  it('leaves Steam accounts out of a Google Authenticator export, naming them, and writes them to Aegis as steam', async () => {
    const ga = await cli(['export', '--format', 'ga']);
    expect(ga.code).toBe(0);
    expect(ga.stderr).toContain('Left out (Google Authenticator cannot hold them');
    expect(ga.stderr).toContain('Steam (gaben), Steam (second)');
    const aegis = await cli(['export', 'steam', '--format', 'aegis']);
    expect(aegis.code).toBe(0);
    const entries = JSON.parse(aegis.stdout).db.entries;
    expect(entries.map((entry: { type: string; info: { digits: number } }) => [entry.type, entry.info.digits])).toEqual(
      [
        ['steam', 5],
        ['steam', 5],
      ],
    );
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
    ['2fas-backup.2fas', SAMPLES, ['GitHub', 'Bank', 'Steam'], undefined],
    ['andotp-accounts.json', SAMPLES, ['GitHub', 'Example', 'Bank', 'Steam'], undefined],
    ['freeotp-plus-backup.json', SAMPLES, ['GitHub', 'Bank'], 'entry 3 Old (md5): This entry uses a hash'],
    ['bitwarden-export.json', SAMPLES, ['GitHub', 'Example Forum', 'Steam'], undefined],
    [
      'plain-v3.json',
      AEGIS_SAMPLES,
      ['ACME Co', 'Example', '', 'Counter Bank', 'Steam'],
      'entry 8 Yandex (ivan): This entry is a Yandex token, which mfakit does not support',
    ],
  ])(
    'imports the sample %s into a new vault, naming what it skips',
    async (name, samples, issuers, skippedLine) => {
      const sampleEnv = baseEnv({ MFAKIT_VAULT: join(tempDir(), 'sample.mfakit'), MFAKIT_PASSPHRASE: 'import test' });
      expect((await runCli(['init', '--scrypt-log-n', '15'], sampleEnv)).code).toBe(0);
      const file = join(dir, name);
      writeFileSync(file, readFileSync(join(samples, name)));
      const imported = await runCli(['import', file], sampleEnv);
      expect(imported.code, imported.stderr).toBe(0);
      if (skippedLine === undefined) expect(imported.stderr).not.toContain('skipped');
      else expect(imported.stderr).toContain(`skipped ${skippedLine}`);
      expect(imported.stdout).not.toMatch(/JBSWY3DP|GEZDGNBV|MFRGGZDF/);
      const list = JSON.parse((await runCli(['list', '--json'], sampleEnv)).stdout);
      expect(list.map((account: { issuer: string }) => account.issuer)).toEqual(issuers);
      // Every Steam entry is a Steam account, and `mfakit codes` shows its 5 characters.
      const steam = list.filter((account: { issuer: string }) => account.issuer === 'Steam');
      for (const account of steam) expect(account).toMatchObject({ type: 'steam', digits: 5 });
      if (steam.length > 0) {
        const codes = await runCli(['codes', 'steam'], sampleEnv);
        expect(codes.stdout).toMatch(/^Steam \(\w+\)\s+[23456789BCDFGHJKMNPQRTVWXY]{5}\s+\d+s\n$/);
      }
    },
    60_000,
  );
});
