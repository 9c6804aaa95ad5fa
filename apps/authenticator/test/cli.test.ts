import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base32Decode, hotp, totp } from '@mfakit/core';
import { encryptAegisVault, importMigrationUris, parseOtpauthUri as otpauthUriOf } from '@mfakit/otpauth';
import { openVault } from '@mfakit/vault';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeHalfBlock } from './qr-decode.js';
import { baseEnv, type CliResult, runCli, tempDir } from './run-cli.js';

// Canary: a secret whose every encoding is searched for in every output that must not show it.
const CANARY = 'MFAKITCANARYSECRETMFAKITCANARYSE';
const CANARY_BYTES = base32Decode(CANARY);
const CANARY_FORMS = [
  CANARY,
  CANARY.toLowerCase(),
  Buffer.from(CANARY_BYTES).toString('hex'),
  Buffer.from(CANARY_BYTES).toString('base64'),
  Buffer.from(CANARY_BYTES).toString('base64url'),
];
const OTHER = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
// Distinct accounts have distinct secrets: an import skips an account whose codes are already there.
const CAROL = 'KRUGS4ZANFZSAYJAONSWG4TFOQQGC3TE';
const ONE = 'N5XGKIDPNZSSA33OMUQG63TFEBXW4ZJA';
const THREE = 'ORUHEZLFEB2GQ4TFMUQHI2DSMVSSA5DI';

function expectNoCanary(result: CliResult): void {
  for (const form of CANARY_FORMS) {
    expect(result.stdout).not.toContain(form);
    expect(result.stderr).not.toContain(form);
  }
}

describe('mfakit CLI on a passphrase vault', () => {
  const dir = tempDir();
  const vaultPath = join(dir, 'vault.mfakit');
  const env = baseEnv({ MFAKIT_VAULT: vaultPath, MFAKIT_PASSPHRASE: 'test passphrase' });
  const outputs: CliResult[] = [];
  const cli = async (args: string[], extraEnv: Record<string, string> = {}, input?: string) => {
    const result = await runCli(args, { ...env, ...extraEnv }, input);
    outputs.push(result);
    return result;
  };

  beforeAll(async () => {
    const init = await cli(['init', '--scrypt-log-n', '15', '--json']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toEqual({ path: vaultPath, slots: ['passphrase'] });
    const add = await cli(
      ['add', '--issuer', 'Canary Corp', '--account', 'alice@example.com', '--secret', '-'],
      {},
      `${CANARY}\n`,
    );
    expect(add.code).toBe(0);
    const addUri = await cli([
      'add',
      '--json',
      '--uri',
      `otpauth://totp/Example:bob?secret=${OTHER}&issuer=Example&digits=8&period=60`,
    ]);
    expect(addUri.code).toBe(0);
    expect(JSON.parse(addUri.stdout).warnings.map((warning: { code: string }) => warning.code)).toEqual([
      'non_default_digits',
      'non_default_period',
    ]);
  });

  it('lists accounts without secrets, and shows them only with --show', async () => {
    const list = await cli(['list', '--json']);
    expect(list.code).toBe(0);
    const accounts = JSON.parse(list.stdout);
    expect(accounts.map((account: { issuer: string; name: string }) => `${account.issuer}/${account.name}`)).toEqual([
      'Canary Corp/alice@example.com',
      'Example/bob',
    ]);
    expect(accounts[1]).toMatchObject({ digits: 8, period: 60, algorithm: 'SHA1', type: 'totp' });
    expectNoCanary(list);
    expectNoCanary(await cli(['list']));
    const shown = await runCli(['list', '--show', 'canary'], env);
    expect(shown.stdout).toContain(CANARY);
  });

  it('prints the current TOTP code of exactly one match', async () => {
    const before = Date.now();
    const result = await cli(['code', '--json', 'canary']);
    const after = Date.now();
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    // The code is one of the steps the process could have seen (it may straddle a boundary).
    const candidates = new Set([before, after].map((at) => totp(CANARY_BYTES, { at })));
    expect(candidates).toContain(output.code);
    expect(output.remainingSeconds).toBeGreaterThanOrEqual(1);
    expect(output.remainingSeconds).toBeLessThanOrEqual(30);
    const plain = await cli(['code', 'Example:bob']);
    expect(plain.stdout).toMatch(/^\d{8}\n$/);
  });

  it('exits 2 listing the matches when a query is ambiguous or matches nothing', async () => {
    const ambiguous = await cli(['code', 'e']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stdout).toBe('');
    expect(ambiguous.stderr).toContain('2 accounts match');
    expect(ambiguous.stderr).toContain('Canary Corp (alice@example.com)');
    expect(ambiguous.stderr).toContain('Example (bob)');
    const none = await cli(['code', 'nothing-like-this']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No account matches');
  });

  it('advances and saves the HOTP counter on each code', async () => {
    const add = await cli([
      'add',
      '--issuer',
      'Counter',
      '--account',
      'c',
      '--secret',
      OTHER,
      '--type',
      'hotp',
      '--counter',
      '5',
    ]);
    expect(add.code).toBe(0);
    const first = await cli(['code', '--json', 'counter']);
    const second = await cli(['code', 'counter']);
    const secret = base32Decode(OTHER);
    expect(JSON.parse(first.stdout)).toMatchObject({ code: hotp(secret, 5), counter: 5 });
    expect(second.stdout).toBe(`${hotp(secret, 6)}\n`);
    const list = JSON.parse((await cli(['list', '--json', 'counter'])).stdout);
    expect(list[0].counter).toBe(7);
  });

  it('renames and removes accounts', async () => {
    const renamed = await cli(['rename', 'counter', '--issuer', 'Renamed', '--json']);
    expect(renamed.code).toBe(0);
    expect(JSON.parse(renamed.stdout).renamed).toMatchObject({ issuer: 'Renamed', name: 'c' });
    const refused = await cli(['remove', 'renamed']);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain('--yes');
    const removed = await cli(['remove', 'renamed', '--yes']);
    expect(removed.code).toBe(0);
    expect(JSON.parse((await cli(['list', '--json'])).stdout)).toHaveLength(2);
  });

  it('refuses bad input with exit 5 and messages without the secret', async () => {
    const badSecret = await cli(['add', '--issuer', 'X', '--secret', `${CANARY}!`]);
    expect(badSecret.code).toBe(5);
    expect(badSecret.stderr).toContain('--secret: not base32');
    const badDigits = await cli(['add', '--issuer', 'X', '--secret', CANARY, '--digits', '9']);
    expect(badDigits.code).toBe(5);
    expect(badDigits.stderr).toContain('--digits');
    const badUri = await cli(['add', '--uri', `otpauth://totp/X?secret=${CANARY}&algorithm=MD5`]);
    expect(badUri.code).toBe(5);
    const duplicate = await cli([
      'add',
      '--issuer',
      'Canary Corp',
      '--account',
      'alice@example.com',
      '--secret',
      CANARY,
    ]);
    expect(duplicate.code).toBe(5);
    expect(duplicate.stderr).toContain('already in the vault');
  });

  it('adds a URI whose label prefix differs from its issuer parameter, warning with both names', async () => {
    const added = await cli([
      'add',
      '--uri',
      `otpauth://totp/Contoso%20Co:Firstname%20Lastname?secret=${OTHER}&issuer=ACME%20Co`,
      '--json',
    ]);
    expect(added.code).toBe(0);
    const result = JSON.parse(added.stdout);
    expect(result.added).toMatchObject({ issuer: 'ACME Co', name: 'Firstname Lastname' });
    expect(result.warnings.map((warning: { code: string }) => warning.code)).toContain('issuer_label_mismatch');
    expect((await cli(['remove', 'ACME Co', '--yes'])).code).toBe(0);
  });

  it('documents exit codes and refuses unknown commands and options with 64', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*\n {2}2 {3}QUERY matched no account/);
    // It fits an 80-column terminal: no line wraps.
    for (const line of help.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect((await cli(['frobnicate'])).code).toBe(64);
    const bogus = await cli(['list', '--bogus']);
    expect(bogus.code).toBe(64);
    expect(bogus.stderr).toContain('mfakit list has no option --bogus (see mfakit --help)');
    expect(bogus.stderr).not.toContain('positional');
    const noValue = await cli(['list', '--vault']);
    expect(noValue.stderr).toContain('--vault needs a value');
    expect((await cli(['code'])).code).toBe(64);
    // `pnpm start -- list` hands the "--" on: it is not an argument of mfakit.
    const afterDashes = await cli(['--', 'list', '--json']);
    expect(afterDashes.code).toBe(0);
    expect(Array.isArray(JSON.parse(afterDashes.stdout))).toBe(true);
  });

  it('exits 3 on a wrong passphrase and 4 on a missing vault, leaving files alone', async () => {
    const before = readFileSync(vaultPath);
    const wrong = await cli(['list'], { MFAKIT_PASSPHRASE: 'not it' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('passphrase does not unlock');
    expect(readFileSync(vaultPath).equals(before)).toBe(true);
    const missing = await cli(['list'], { MFAKIT_VAULT: join(dir, 'none.mfakit') });
    expect(missing.code).toBe(4);
    // Said once: the advice to run mfakit init is not repeated.
    expect(missing.stderr.split('mfakit init').length - 1).toBe(1);
    const noPassphrase = await cli(['list'], { MFAKIT_PASSPHRASE: '' });
    expect(noPassphrase.code).toBe(3);
    expect(noPassphrase.stderr.split('MFAKIT_PASSPHRASE').length - 1).toBe(1);
    const exists = await cli(['init']);
    expect(exists.code).toBe(4);
  });

  it('exports as URIs, GA transfer and Aegis, and imports them back into a new vault', async () => {
    const uri = await cli(['export', 'canary', '--format', 'uri']);
    expect(uri.stdout).toMatch(
      new RegExp(`^otpauth://totp/Canary%20Corp:alice%40example.com\\?secret=${CANARY}&issuer=Canary%20Corp\\n$`),
    );
    // An account a transfer cannot hold is left out and named; the rest are exported.
    const gaAll = await cli(['export', '--format', 'ga']);
    expect(gaAll.code).toBe(0);
    expect(gaAll.stderr).toContain('Left out (Google Authenticator cannot hold them');
    expect(gaAll.stderr).toContain('Example (bob)');
    const gaAccounts = importMigrationUris(gaAll.stdout.trim().split('\n')).accounts;
    expect(gaAccounts.map((account) => account.issuer)).not.toContain('Example');
    expect(gaAccounts.map((account) => account.issuer)).toContain('Canary Corp');
    const ga = await cli(['export', 'canary', '--format', 'ga']);
    expect(ga.stdout).toMatch(/^otpauth-migration:\/\/offline\?data=\S+\n$/);
    const qr = await cli(['export', 'example', '--format', 'qr']);
    expect(qr.stdout).toContain('Example (bob): scan with your phone');
    expect(qr.stdout).toContain('warning: Some apps ignore 8-digit codes');
    // Piped: half blocks (two modules a character), no escape sequences, and it scans.
    expect(qr.stdout).not.toContain('\u001b');
    // "example" also finds alice@example.com: the first code is bob's.
    const drawn =
      qr.stdout
        .split('\n\n')[0]
        ?.split('\n')
        .filter((line) => line.startsWith('█')) ?? [];
    expect(drawn[0]?.length).toBeLessThan(50);
    expect(otpauthUriOf(decodeHalfBlock(drawn.join('\n')))).toMatchObject({ issuer: 'Example', account: 'bob' });
    const gaQr = await cli(['export', 'canary', '--format', 'ga', '--qr']);
    const gaDrawn = gaQr.stdout.split('\n').filter((line) => line.startsWith('█'));
    expect(importMigrationUris([decodeHalfBlock(gaDrawn.join('\n'))]).accounts[0]?.issuer).toBe('Canary Corp');
    const aegisFile = join(dir, 'export.json');
    const aegis = await cli(['export', '--format', 'aegis', '--output', aegisFile]);
    expect(aegis.code).toBe(0);
    expectNoCanary(aegis);
    // An existing file is never replaced: exit 4, as documented for file errors.
    expect((await cli(['export', '--format', 'aegis', '--output', aegisFile])).code).toBe(4);

    const otherEnv = { MFAKIT_VAULT: join(dir, 'second.mfakit') };
    expect((await cli(['init', '--scrypt-log-n', '15'], otherEnv)).code).toBe(0);
    const gaFile = join(dir, 'ga.txt');
    writeFileSync(gaFile, `# from mfakit\n${ga.stdout}\n`);
    const fromGa = await cli(['import', gaFile, '--json'], otherEnv);
    expect(fromGa.code).toBe(0);
    expect(JSON.parse(fromGa.stdout)).toMatchObject({ format: 'google-authenticator', duplicates: 0 });
    const fromAegis = await cli(['import', aegisFile, '--json'], otherEnv);
    expect(JSON.parse(fromAegis.stdout)).toMatchObject({ format: 'aegis', imported: [{ name: 'bob' }], duplicates: 1 });
    expectNoCanary(fromGa);
    const vault = await openVault({ path: join(dir, 'second.mfakit'), passphrase: 'test passphrase' });
    try {
      const canary = vault.accounts.find((account) => account.issuer === 'Canary Corp');
      expect(canary?.secret).toEqual(CANARY_BYTES);
      expect(vault.accounts.find((account) => account.name === 'bob')).toMatchObject({ digits: 8, period: 60 });
    } finally {
      vault.close();
    }
  });

  it('imports an encrypted Aegis export with --password, a URI argument, and reports bad lines', async () => {
    const encrypted = await encryptAegisVault(
      [{ secret: base32Decode(CAROL), account: 'carol', issuer: 'Aegis Co' }],
      'aegis pw',
      {
        scrypt: { N: 2 ** 10, r: 8, p: 1 },
      },
    );
    const file = join(dir, 'aegis-encrypted.json');
    writeFileSync(file, encrypted);
    const noPassword = await cli(['import', file]);
    expect(noPassword.code).toBe(3);
    expect(noPassword.stderr).toContain('--password');
    const wrong = await cli(['import', file, '--password', 'nope']);
    expect(wrong.code).toBe(5);
    const right = await cli(['import', file, '--password', 'aegis pw', '--json']);
    expect(JSON.parse(right.stdout).imported[0]).toMatchObject({ issuer: 'Aegis Co', name: 'carol' });

    const listFile = join(dir, 'uris.txt');
    writeFileSync(
      listFile,
      `otpauth://totp/One:a?secret=${ONE}\n\nnot a uri\notpauth://hotp/Two:b?secret=${OTHER}&counter=3\n`,
    );
    const mixed = await cli(['import', listFile, '--json']);
    expect(mixed.code).toBe(0);
    const report = JSON.parse(mixed.stdout);
    expect(report.imported).toHaveLength(2);
    expect(report.skipped).toEqual([expect.objectContaining({ where: 'line 3' })]);

    const single = await cli(['import', `otpauth://totp/Three:c?secret=${THREE}`]);
    expect(single.code).toBe(0);
    expect(single.stderr).toContain('Imported 1 account');
  });

  it('changes the passphrase with passwd', async () => {
    const changed = await cli(['passwd', '--scrypt-log-n', '15'], { MFAKIT_NEW_PASSPHRASE: 'new passphrase' });
    expect(changed.code).toBe(0);
    expect((await cli(['list'])).code).toBe(3);
    expect((await cli(['list'], { MFAKIT_PASSPHRASE: 'new passphrase' })).code).toBe(0);
    const noNew = await cli(['passwd'], { MFAKIT_PASSPHRASE: 'new passphrase' });
    expect(noNew.code).toBe(3);
  });

  it('never printed the canary secret outside export and --show', () => {
    expect(outputs.length).toBeGreaterThan(30);
    for (const result of outputs) {
      if (/otpauth:\/\//.test(result.stdout)) continue; // export --format uri output, asked for
      expectNoCanary(result);
    }
  });
});
