// What people expect of a CLI authenticator (2fa, ykman oath): every matching code at once,
// a code straight to the clipboard, notes where accounts are listed.
import { join } from 'node:path';
import { base32Decode, totp } from '@mfakit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, runCli, tempDir } from './run-cli.js';

const A = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const B = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('codes, --copy, notes', () => {
  const dir = tempDir();
  // No DISPLAY, no WAYLAND_DISPLAY: no clipboard tool is usable.
  const env = baseEnv({ MFAKIT_VAULT: join(dir, 'vault.mfakit'), MFAKIT_PASSPHRASE: 'habits' });
  const cli = (args: string[]) => runCli(args, env);

  beforeAll(async () => {
    expect((await cli(['init', '--scrypt-log-n', '15'])).code).toBe(0);
    expect((await cli(['add', '--issuer', 'GitHub', '--account', 'alice', '--secret', A])).code).toBe(0);
    expect(
      (await cli(['add', '--issuer', 'GitLab', '--account', 'bob', '--secret', B, '--note', 'work laptop'])).code,
    ).toBe(0);
    expect((await cli(['add', '--issuer', 'Bank', '--account', 'c', '--secret', A, '--type', 'hotp'])).code).toBe(0);
  }, 60_000);

  it('codes prints every matching TOTP code; HOTP counters are not used up', async () => {
    const before = Date.now();
    const all = await cli(['codes', '--json']);
    const after = Date.now();
    expect(all.code).toBe(0);
    const rows = JSON.parse(all.stdout);
    expect(rows.map((row: { issuer: string }) => row.issuer)).toEqual(['GitHub', 'GitLab', 'Bank']);
    const github = rows[0] as { code: string };
    const candidates = [before, after].map((at) => totp(base32Decode(A), { at }));
    expect(candidates).toContain(github.code);
    expect(rows[2]).not.toHaveProperty('code');
    const some = await cli(['codes', 'git']);
    expect(some.stdout.split('\n').filter((line) => line !== '')).toHaveLength(2);
    expect(some.stdout).toMatch(/^GitHub \(alice\) +\d{6} +\d+s$/m);
    const list = JSON.parse((await cli(['list', 'bank', '--json'])).stdout);
    expect(list[0].counter).toBe(0);
    expect((await cli(['codes', 'nothing-like-this'])).code).toBe(2);
  });

  it('code --copy without a clipboard tool fails clearly and prints no code', async () => {
    const copy = await cli(['code', 'github', '--copy']);
    expect(copy.code).toBe(1);
    expect(copy.stderr).toContain('No clipboard tool found');
    expect(copy.stdout).toBe('');
  });

  it('list shows notes and short ids that fit 80 columns; a short id is a QUERY', async () => {
    const list = await cli(['list']);
    expect(list.stdout).toMatch(/GitLab +bob .*\n +note: work laptop/);
    for (const line of list.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const id = /^GitHub .* ([0-9a-f]{8})$/m.exec(list.stdout)?.[1] ?? '';
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    const code = await cli(['code', id]);
    expect(code.code, code.stderr).toBe(0);
    expect(code.stdout).toMatch(/^\d{6}\n$/);
  });
});
