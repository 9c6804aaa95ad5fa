// Steam Guard accounts typed by hand (`mfakit add --type steam`, the add form) and listed: Steam's
// fixed parameters are filled in, other values are refused with a message naming the field, and
// `list` and `codes` show them as Steam Guard tokens.
import { base32Decode, steamGuardCode } from '@mfakit/core';
import { describe, expect, it } from 'vitest';
import { validateAccountFields } from '../src/accounts/account-fields.js';
import { accountCodes, groupCode } from '../src/accounts/otp-code.js';
import { baseEnv, runCli, tempDir } from './run-cli.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('Steam accounts from fields', () => {
  it('type steam takes SHA1, 5 characters and 30 s when they are left out or given as such', () => {
    for (const input of [{}, { digits: '5', period: '30', algorithm: 'sha1' }]) {
      const result = validateAccountFields({
        issuer: 'Steam',
        account: 'gaben',
        secret: SECRET,
        type: 'steam',
        ...input,
      });
      expect(result).toMatchObject({ ok: true, account: { type: 'steam', digits: 5, period: 30, algorithm: 'SHA1' } });
    }
  });

  it('refuses parameters Steam does not use, naming the field', () => {
    const errors = (input: Record<string, string>) => {
      const result = validateAccountFields({ issuer: 'Steam', secret: SECRET, type: 'STEAM', ...input });
      return result.ok ? {} : result.errors;
    };
    expect(errors({ digits: '6' }).digits).toContain('5 characters');
    expect(errors({ period: '60' }).period).toContain('30 seconds');
    expect(errors({ algorithm: 'SHA256' }).algorithm).toContain('SHA1');
    expect(errors({ type: 'yandex' }).type).toContain("'steam'");
  });

  it('the codes are Steam Guard codes, shown whole', () => {
    const at = 1_700_000_000_000;
    const secret = base32Decode(SECRET);
    const codes = accountCodes(
      {
        id: '0b6f4b4e-7d0c-4a43-9d55-6c1b1a3c2f10',
        type: 'steam',
        issuer: 'Steam',
        name: 'gaben',
        secret,
        algorithm: 'SHA1',
        digits: 5,
        period: 30,
        counter: 0,
        note: '',
        createdAt: 0,
      },
      at,
    );
    expect(codes).toEqual({
      current: steamGuardCode(secret, { at }),
      next: steamGuardCode(secret, { at: at + 30_000 }),
      remainingSeconds: 10,
    });
    expect(groupCode(codes.current)).toBe(codes.current);
  });

  it('mfakit add --type steam, then list and codes show it as a Steam Guard token', async () => {
    const env = baseEnv({ MFAKIT_VAULT: `${tempDir()}/vault.mfakit`, MFAKIT_PASSPHRASE: 'steam test' });
    expect((await runCli(['init', '--scrypt-log-n', '15'], env)).code).toBe(0);
    const added = await runCli(
      ['add', '--type', 'steam', '--issuer', 'Steam', '--account', 'gaben', '--secret', SECRET],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain('note: A Steam Guard token shows 5-character codes only in apps that know Steam');
    expect((await runCli(['list'], env)).stdout).toMatch(/^Steam\s+gaben\s+\[Steam Guard, 5 characters\]/);
    const codes = await runCli(['codes'], env);
    expect(codes.stdout).toMatch(/^Steam \(gaben\)\s+[23456789BCDFGHJKMNPQRTVWXY]{5}\s+\d+s\n$/);
    const wrong = await runCli(['add', '--type', 'steam', '--issuer', 'S', '--secret', SECRET, '--digits', '6'], env);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('--digits: Steam Guard codes have 5 characters');
  });
});
