/**
 * Aegis vault files. Plain fixtures cover content versions 1–3; the encrypted fixture was made
 * by fixtures/aegis/make-encrypted.mjs with node:crypto (not the noble code under test), and our
 * encrypted exports are opened here with node:crypto following Aegis docs/vault.md.
 */
import { createDecipheriv, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { base32Decode, isMfaError } from '@mfakit/core';
import {
  type AegisAccount,
  type AegisImport,
  buildAegisVault,
  decryptAegisVault,
  encryptAegisVault,
  parseAegisVault,
} from '@mfakit/otpauth';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { account } from './support/arbitraries.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/aegis/${name}`, import.meta.url), 'utf8');
const PASSWORD = 'mfakit tëst pässword';

interface ExpectedImport {
  accounts: (Omit<AegisAccount, 'secret'> & { secret: string })[];
  skipped: { index: number; account: string; issuer?: string; reason: string }[];
  groups: string[];
}

function expectImport(actual: AegisImport, expected: ExpectedImport): void {
  expect(actual.accounts).toEqual(expected.accounts.map((a) => ({ ...a, secret: base32Decode(a.secret) })));
  expect(actual.skipped.map(({ message: _, ...rest }) => rest)).toEqual(expected.skipped);
  for (const skipped of actual.skipped) expect(skipped.message).toMatch(/not imported/);
  expect(actual.groups).toEqual(expected.groups);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const expectedV3 = JSON.parse(fixture('expected-v3.json')) as ExpectedImport;

describe('plain exports', () => {
  test('content version 3: groups by uuid, notes, favorites, a Steam entry; Yandex, MD5 and a broken secret are reported', () => {
    expectImport(parseAegisVault(fixture('plain-v3.json')), expectedV3);
  });

  test('accepts the file as bytes, with a byte-order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(fixture('plain-v3.json'))]);
    expectImport(parseAegisVault(bytes), expectedV3);
  });

  test('content version 1 (no groups) and 2 (group by name)', () => {
    expect(parseAegisVault(fixture('plain-v1.json')).accounts).toEqual([
      {
        type: 'totp',
        secret: base32Decode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'),
        account: 'Mia',
        issuer: 'Old Format',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
        note: '',
        favorite: false,
        groups: [],
      },
    ]);
    const v2 = parseAegisVault(fixture('plain-v2.json'));
    expect(v2.accounts[0]).toMatchObject({
      type: 'hotp',
      counter: 0,
      digits: 8,
      algorithm: 'SHA256',
      groups: ['Finance'],
      note: 'v2 groups are names',
    });
    expect(v2.groups).toEqual(['Finance']);
  });

  test('export → import keeps accounts, notes, favorites and groups', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            base: account(),
            note: fc.string(),
            favorite: fc.boolean(),
            groups: fc.uniqueArray(fc.constantFrom('Work', 'Home', 'Bank', '日本'), { maxLength: 3 }),
            uuid: fc.uuid({ version: 4 }),
          }),
          { maxLength: 8 },
        ),
        (records) => {
          const accounts = records.map(({ base: { extraParameters: _, ...base }, ...metadata }) => ({
            ...base,
            ...metadata,
          }));
          const imported = parseAegisVault(buildAegisVault(accounts));
          expect(imported.skipped).toEqual([]);
          expect(imported.accounts).toEqual(accounts);
          expect(new Set(imported.groups)).toEqual(new Set(accounts.flatMap((a) => a.groups)));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('writes the Aegis format: version 1, null header, content version 3, unpadded base32', () => {
    const vault = JSON.parse(
      buildAegisVault([{ secret: base32Decode('JBSWY3DPEHPK3PXP'), account: 'a', issuer: 'b', groups: ['G'] }]),
    );
    expect(vault.version).toBe(1);
    expect(vault.header).toEqual({ slots: null, params: null });
    expect(vault.db.version).toBe(3);
    expect(vault.db.entries[0]).toMatchObject({
      type: 'totp',
      name: 'a',
      issuer: 'b',
      note: '',
      favorite: false,
      icon: null,
      info: { secret: 'JBSWY3DPEHPK3PXP', algo: 'SHA1', digits: 6, period: 30 },
      groups: [vault.db.groups[0].uuid],
    });
    expect(vault.db.entries[0].uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(vault.db.groups).toEqual([{ uuid: expect.any(String), name: 'G' }]);
  });
});

describe('encrypted exports', () => {
  test('the node:crypto fixture opens with its password and equals the plain fixture', async () => {
    expectImport(await decryptAegisVault(fixture('encrypted.json'), PASSWORD), expectedV3);
  });

  test('a wrong password is aegis_bad_password, and the message does not echo it', async () => {
    const error = await rejection(decryptAegisVault(fixture('encrypted.json'), 'mfakit tëst passwörd'));
    expect(isMfaError(error, 'aegis_bad_password')).toBe(true);
    expect((error as Error).message).not.toContain('mfakit tëst');
  });

  test('parseAegisVault asks for the password instead of failing obscurely', () => {
    const error = thrown(() => parseAegisVault(fixture('encrypted.json')));
    expect(isMfaError(error, 'aegis_password_required')).toBe(true);
    expect((error as Error).message).toContain('password');
  });

  test('decryptAegisVault also reads plain exports', async () => {
    expectImport(await decryptAegisVault(fixture('plain-v3.json'), 'unused'), expectedV3);
  });

  test('tampered content fails authentication', async () => {
    const vault = JSON.parse(fixture('encrypted.json'));
    const db = Buffer.from(vault.db, 'base64');
    db[10] = (db[10] as number) ^ 1;
    vault.db = db.toString('base64');
    const error = await rejection(decryptAegisVault(JSON.stringify(vault), PASSWORD));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect((error as Error).message).toContain('authentication');
  });

  test('a vault with only a biometric slot says to set a password', async () => {
    const vault = JSON.parse(fixture('encrypted.json'));
    vault.header.slots = vault.header.slots.filter((slot: { type: number }) => slot.type !== 1);
    const error = await rejection(decryptAegisVault(JSON.stringify(vault), PASSWORD));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect((error as Error).message).toContain('set a password');
  });

  test('hostile scrypt parameters are refused before any work', async () => {
    for (const params of [{ n: 2 ** 30 }, { n: 3 }, { r: 0 }, { p: 2 ** 20 }, { n: 2 ** 20, r: 8 }]) {
      const vault = JSON.parse(fixture('encrypted.json'));
      Object.assign(vault.header.slots[1], params);
      const error = await rejection(decryptAegisVault(JSON.stringify(vault), PASSWORD));
      expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    }
    // Two slots at the per-slot limit (2^17 each) would be 8× the work of one Aegis slot.
    const vault = JSON.parse(fixture('encrypted.json'));
    vault.header.slots = Array.from({ length: 2 }, () => ({ ...vault.header.slots[1], n: 2 ** 17, r: 8 }));
    const error = await rejection(decryptAegisVault(JSON.stringify(vault), PASSWORD));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect((error as Error).message).toContain('scrypt work');
  });

  test('our encrypted export opens with node:crypto the way Aegis opens it, and with our import', async () => {
    const accounts = (JSON.parse(fixture('expected-v3.json')) as ExpectedImport).accounts.map(
      (a) => ({ ...a, secret: base32Decode(a.secret) }) as AegisAccount,
    );
    const text = await encryptAegisVault(accounts, PASSWORD);
    const vault = JSON.parse(text);
    expect(vault.version).toBe(1);
    const slot = vault.header.slots[0];
    expect(slot).toMatchObject({ type: 1, n: 32768, r: 8, p: 1 });
    // Independent decryption (Aegis docs/vault.md; docs/decrypt.py does the same).
    const slotKey = scryptSync(Buffer.from(PASSWORD, 'utf8'), Buffer.from(slot.salt, 'hex'), 32, {
      N: slot.n,
      r: slot.r,
      p: slot.p,
      maxmem: 64 * 1024 * 1024,
    });
    const unwrap = createDecipheriv('aes-256-gcm', slotKey, Buffer.from(slot.key_params.nonce, 'hex'));
    unwrap.setAuthTag(Buffer.from(slot.key_params.tag, 'hex'));
    const masterKey = Buffer.concat([unwrap.update(Buffer.from(slot.key, 'hex')), unwrap.final()]);
    const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(vault.header.params.nonce, 'hex'));
    decipher.setAuthTag(Buffer.from(vault.header.params.tag, 'hex'));
    const db = JSON.parse(
      Buffer.concat([decipher.update(Buffer.from(vault.db, 'base64')), decipher.final()]).toString('utf8'),
    );
    expect(db.version).toBe(3);
    expect(
      db.entries.map((entry: { name: string; info: { secret: string } }) => [entry.name, entry.info.secret]),
    ).toEqual(expectedV3.accounts.map((a) => [a.account, a.secret]));
    const imported = await decryptAegisVault(text, PASSWORD);
    expect(imported.accounts).toEqual(accounts);
  });

  test('encrypted export with light scrypt parameters round-trips (and refuses an empty password)', async () => {
    const accounts = [{ secret: base32Decode('JBSWY3DPEHPK3PXP'), account: 'a' }];
    const text = await encryptAegisVault(accounts, 'pw', { scrypt: { N: 1024, r: 8, p: 1 } });
    expect((await decryptAegisVault(text, 'pw')).accounts).toMatchObject(accounts);
    await expect(encryptAegisVault(accounts, '')).rejects.toThrow(RangeError);
  });
});

describe('not an Aegis vault', () => {
  test.each([
    ['not JSON', '{"version": 1,', 'not valid JSON'],
    ['JSON but not a vault', '[1,2,3]', "needs 'version', 'header' and 'db'"],
    ['newer vault format', '{"version": 2, "header": {}, "db": {}}', 'update mfakit'],
    [
      'newer content format',
      '{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": 4, "entries": []}}',
      'newer',
    ],
    ['no entries', '{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": 3}}', 'no entries'],
    [
      'encrypted with broken hex',
      '{"version": 1, "header": {"slots": [{"type": 1, "key": "zz", "n": 2, "r": 8, "p": 1}], "params": {}}, "db": "AAAA"}',
      'not hexadecimal',
    ],
  ])('%s → invalid_aegis_vault', async (_name, text, hint) => {
    const error = await rejection(decryptAegisVault(text, PASSWORD));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect((error as Error).message).toContain(hint);
  });

  test('bytes that are not UTF-8', () => {
    const error = thrown(() => parseAegisVault(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
  });

  test('a JSON error message never quotes the file (it holds secrets)', () => {
    const text = `{"version": 1, "db": {"entries": [{"info": {"secret": "JBSWY3DPEHPK3PXP"}}]}, oops}`;
    const error = thrown(() => parseAegisVault(text));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect(String(error)).not.toContain('JBSWY3DP');
    expect((error as Error).cause).toBeUndefined();
  });
});
