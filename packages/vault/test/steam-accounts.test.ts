/**
 * Steam Guard accounts in the vault: stored with their fixed parameters, and the format version a
 * save writes is the lowest that holds the accounts (2 with a Steam account, else 1), so a vault
 * without one still opens in an mfakit that reads only version 1, and one with a Steam account is
 * refused there as newer instead of as damaged.
 */
import { createVault, describeVault, FORMAT_VERSION, openVault } from '@mfakit/vault';
import { describe, expect, test } from 'vitest';
import { decodeAccounts } from '../src/accounts.js';
import { FAST_SCRYPT, PASSPHRASE, readBytes, readHeader, tempDirectory } from './helpers.js';

const secret = (fill: number) => new Uint8Array(20).fill(fill);

async function newVault() {
  const path = `${await tempDirectory()}/vault.mfakit`;
  return createVault({ path, passphrase: PASSPHRASE, ...FAST_SCRYPT, env: {} });
}

describe('Steam accounts', () => {
  test('type steam takes SHA1, 5 digits, 30 s by default and keeps them across a save', async () => {
    const vault = await newVault();
    const added = vault.addAccount({ type: 'steam', issuer: 'Steam', name: 'gaben', secret: secret(3) });
    expect(added).toMatchObject({ type: 'steam', algorithm: 'SHA1', digits: 5, period: 30, counter: 0 });
    await vault.save();
    const reopened = await openVault({ path: vault.path, passphrase: PASSPHRASE, env: {} });
    expect(reopened.accounts).toEqual([expect.objectContaining({ type: 'steam', digits: 5, name: 'gaben' })]);
    expect(reopened.accounts[0]?.secret).toEqual(secret(3));
    expect(JSON.stringify(reopened.accounts)).not.toContain(Buffer.from(secret(3)).toString('base64'));
  });

  test('the file is version 1 without a Steam account, 2 with one, 1 again once it is removed', async () => {
    expect(FORMAT_VERSION).toBe(2);
    const vault = await newVault();
    expect(readHeader(await readBytes(vault.path)).version).toBe(1);
    vault.addAccount({ issuer: 'GitHub', secret: secret(1) });
    await vault.save();
    expect(readHeader(await readBytes(vault.path)).version).toBe(1);
    const steam = vault.addAccount({ type: 'steam', issuer: 'Steam', secret: secret(2) });
    await vault.save();
    expect(readHeader(await readBytes(vault.path)).version).toBe(2);
    expect((await describeVault({ path: vault.path })).formatVersion).toBe(2);
    vault.removeAccount(steam.id);
    await vault.save();
    expect(readHeader(await readBytes(vault.path)).version).toBe(1);
  });

  test('a Steam account in a version 1 payload is damage, not a Steam account', () => {
    const payload = (type: string) =>
      new TextEncoder().encode(
        JSON.stringify({
          accounts: [
            {
              id: '0b6f4b4e-7d0c-4a43-9d55-6c1b1a3c2f10',
              type,
              issuer: 'Steam',
              name: 'gaben',
              secret: Buffer.from(secret(4)).toString('base64'),
              algorithm: 'SHA1',
              digits: 5,
              period: 30,
              counter: 0,
              note: '',
              createdAt: 0,
            },
          ],
        }),
      );
    expect(decodeAccounts(payload('steam'), 2)[0]?.type).toBe('steam');
    expect(() => decodeAccounts(payload('steam'), 1)).toThrow(expect.objectContaining({ code: 'vault_corrupt' }));
    expect(() => decodeAccounts(payload('totp'), 2)).toThrow(expect.objectContaining({ code: 'vault_corrupt' }));
  });

  test('changing a TOTP account into a Steam one needs Steam parameters', async () => {
    const vault = await newVault();
    const account = vault.addAccount({ issuer: 'Steam', secret: secret(5) });
    expect(() => vault.updateAccount(account.id, { type: 'steam' })).toThrow(RangeError);
    expect(vault.updateAccount(account.id, { type: 'steam', digits: 5 }).type).toBe('steam');
  });
});
