/**
 * Damaged and forged files: every byte of every region flipped, every truncation, forged headers
 * with a recomputed checksum, newer format versions. Each is refused with a specific MfaError code
 * and the file is left byte-for-byte as it was. These vaults unlock through an in-memory keychain so
 * that the thousands of attempts cost no scrypt.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMfaError } from '@mfakit/core';
import { createVault, describeVault, openVault, type VaultErrorCode } from '@mfakit/vault';
import { beforeAll, describe, expect, test } from 'vitest';
import { memoryKeychain } from './fixtures/memory-keychain.js';
import {
  CANARY_SECRET,
  CANARY_TEXT,
  FAST_SCRYPT,
  HEADER_OFFSET,
  headerLength,
  PASSPHRASE,
  readBytes,
  readHeader,
  suiteTempDirectory,
  withHeader,
} from './helpers.js';

const keychainStore = memoryKeychain();
let original: Uint8Array;
let path: string;

beforeAll(async () => {
  path = join(await suiteTempDirectory(), 'vault.mfakit');
  const vault = await createVault({
    path,
    passphrase: PASSPHRASE,
    keychain: true,
    keychainStore,
    env: {},
    ...FAST_SCRYPT,
  });
  vault.addAccount({ issuer: 'Canary', name: 'canary@example.com', secret: CANARY_SECRET });
  vault.addAccount({ issuer: 'Other', name: 'bob', secret: new Uint8Array(20).fill(5), type: 'hotp', counter: 3 });
  await vault.save();
  vault.close();
  original = await readBytes(path);
});

/** Writes `bytes` as the vault, tries to open it, and checks the refusal and that the file is unchanged. */
async function refusal(
  bytes: Uint8Array,
  options: { passphrase?: string } = {},
): Promise<{ code: string; message: string }> {
  await writeFile(path, bytes);
  let caught: unknown;
  try {
    const vault = await openVault({ path, env: {}, keychainStore, ...options });
    vault.close();
  } catch (error) {
    caught = error;
  }
  // Buffer.equals, not toEqual: thousands of deep comparisons of typed arrays are slow in expect.
  if (!Buffer.from(await readBytes(path)).equals(bytes)) throw new Error('the vault file was modified');
  if (!isMfaError(caught)) throw new Error(`expected an MfaError, got ${String(caught)}`);
  expect(caught.message).not.toContain(CANARY_TEXT);
  return { code: caught.code, message: caught.message };
}

function regions(file: Uint8Array): Array<[string, number, number, VaultErrorCode]> {
  const headerEnd = HEADER_OFFSET + headerLength(file);
  return [
    ['magic', 0, 8, 'vault_corrupt'],
    ['header length', 8, 12, 'vault_corrupt'],
    ['header checksum', 12, HEADER_OFFSET, 'vault_corrupt'],
    ['header JSON', HEADER_OFFSET, headerEnd, 'vault_corrupt'],
    ['payload nonce', headerEnd, headerEnd + 12, 'vault_tampered'],
    ['ciphertext', headerEnd + 12, file.length - 16, 'vault_tampered'],
    ['GCM tag', file.length - 16, file.length, 'vault_tampered'],
  ];
}

describe('flipped bits', () => {
  test('the untouched file opens (the harness itself works)', async () => {
    await writeFile(path, original);
    const vault = await openVault({ path, env: {}, keychainStore });
    expect(vault.accounts.map((account) => account.issuer)).toEqual(['Canary', 'Other']);
  });

  const regionNames = [
    'magic',
    'header length',
    'header checksum',
    'header JSON',
    'payload nonce',
    'ciphertext',
    'GCM tag',
  ];
  test.each(regionNames)(
    'every byte of the %s, flipped two ways, is refused and the file left alone',
    async (region) => {
      const [name, start, end, code] = regions(original).find(([candidate]) => candidate === region) ?? ['', 0, 0, ''];
      expect(end, name).toBeGreaterThan(start);
      for (let offset = start; offset < end; offset += 1) {
        for (const mask of [0x01, 0x80]) {
          const tampered = new Uint8Array(original);
          tampered[offset] = (tampered[offset] ?? 0) ^ mask;
          const { code: actual } = await refusal(tampered);
          expect(actual, `${name} byte ${offset} ^ ${mask}`).toBe(code);
        }
      }
    },
  );

  test('a tampered payload is reported as tampering when unlocking with the passphrase too', async () => {
    const tampered = new Uint8Array(original);
    const last = tampered.length - 20;
    tampered[last] = (tampered[last] ?? 0) ^ 0x10;
    const { code, message } = await refusal(tampered, { passphrase: PASSPHRASE });
    expect(code).toBe('vault_tampered');
    expect(message).toMatch(/altered after mfakit wrote it/);
  });
});

describe('truncation and extension', () => {
  test('every truncated length, 0 to size-1, is vault_corrupt "truncated"', async () => {
    for (let length = 0; length < original.length; length += 1) {
      const { code, message } = await refusal(original.slice(0, length));
      expect(code, `length ${length}`).toBe('vault_corrupt');
      expect(message, `length ${length}`).toMatch(/truncated/);
    }
  });

  test('bytes appended after the tag are refused', async () => {
    const longer = new Uint8Array(original.length + 1);
    longer.set(original);
    expect(await refusal(longer)).toMatchObject({
      code: 'vault_corrupt',
      message: expect.stringMatching(/after the payload/),
    });
  });

  test('files that are not vaults are vault_corrupt "not an mfakit vault"', async () => {
    for (const text of [
      '{"accounts":[]}',
      'MFAVAULX and more bytes than the prefix has, surely',
      '\u0000'.repeat(64),
    ]) {
      const { code, message } = await refusal(new TextEncoder().encode(text));
      expect(code).toBe('vault_corrupt');
      expect(message).toMatch(/not an mfakit vault/);
    }
  });
});

describe('forged headers (checksum recomputed)', () => {
  test('an extra header field passes the checksum but fails authentication: the header is associated data', async () => {
    const header = readHeader(original);
    expect(await refusal(withHeader(original, { ...header, note: 'harmless?' }))).toMatchObject({
      code: 'vault_tampered',
    });
  });

  test('a changed vault id breaks every slot (the id is in each slot’s associated data)', async () => {
    const header = readHeader(original);
    const vaultId = '00000000-0000-4000-8000-000000000000';
    // A keychain slot must name its own entry ("vault <vaultId> slot <slotId>"): structurally damaged.
    const forged = withHeader(original, { ...header, vaultId });
    expect((await refusal(forged)).code).toBe('vault_corrupt');
    // With the entry name forged to match, the keychain has no such entry, and the passphrase
    // slot's associated data (which holds the vault id) no longer matches.
    const consistent = withHeader(original, {
      ...header,
      vaultId,
      slots: header.slots.map((slot: { type: string; id: string }) =>
        slot.type === 'keychain' ? { ...slot, account: `vault ${vaultId} slot ${slot.id}` } : slot,
      ),
    });
    expect((await refusal(consistent)).code).toBe('keychain_key_missing');
    expect((await refusal(consistent, { passphrase: PASSPHRASE })).code).toBe('wrong_passphrase');
  });

  test('weakened or hostile scrypt parameters are refused', async () => {
    const header = readHeader(original);
    const withSlot = (changes: Record<string, unknown>) =>
      withHeader(original, { ...header, slots: [{ ...header.slots[0], ...changes }, header.slots[1]] });
    // Parameters the vault writes, but not what the slot was sealed with: the wrap does not open.
    expect((await refusal(withSlot({ n: 2 ** 16 }), { passphrase: PASSPHRASE })).code).toBe('wrong_passphrase');
    // Anything the vault does not write: below the 2^15 floor, not a power of two, another r or p,
    // or a memory bomb — rejected before any work (test/attacks.test.ts counts the derivations).
    for (const changes of [
      { n: 2 ** 14 },
      { n: 40_000 },
      { n: 2 ** 24, r: 64 },
      { r: 4 },
      { p: 0 },
      { kdf: 'pbkdf2' },
    ]) {
      const { code } = await refusal(withSlot(changes), { passphrase: PASSPHRASE });
      expect(code, JSON.stringify(changes)).toBe('vault_corrupt');
    }
  });

  test('swapping the wrapped keys of the two slots opens neither', async () => {
    const header = readHeader(original);
    const [first, second] = header.slots;
    const swapped = withHeader(original, {
      ...header,
      slots: [
        { ...first, nonce: second.nonce, key: second.key },
        { ...second, nonce: first.nonce, key: first.key },
      ],
    });
    expect((await refusal(swapped)).code).toBe('keychain_key_wrong');
    expect((await refusal(swapped, { passphrase: PASSPHRASE })).code).toBe('wrong_passphrase');
  });

  test('structural forgeries are vault_corrupt', async () => {
    const header = readHeader(original);
    const forgeries = [
      { ...header, payloadLength: header.payloadLength - 1 },
      { ...header, slots: [] },
      { ...header, slots: [{ ...header.slots[0], type: 'fingerprint' }] },
      { ...header, slots: [header.slots[0], { ...header.slots[1], id: header.slots[0].id }] },
      { ...header, cipher: 'aes-128-gcm' },
      { ...header, version: 0 },
      { ...header, version: '1' },
      { ...header, format: 'something-else' },
      [header],
    ];
    for (const forged of forgeries) {
      expect((await refusal(withHeader(original, forged))).code, JSON.stringify(forged).slice(0, 80)).toBe(
        'vault_corrupt',
      );
    }
  });
});

describe('newer format versions', () => {
  test('version 3 is vault_unsupported_version from openVault and describeVault, whatever follows the header', async () => {
    const header = readHeader(original);
    const newer = withHeader(original, { format: 'mfakit-vault', version: 3, something: 'new' });
    const { code, message } = await refusal(newer);
    expect(code).toBe('vault_unsupported_version');
    expect(message).toMatch(/newer mfakit/);
    await expect(describeVault({ path })).rejects.toMatchObject({ code: 'vault_unsupported_version' });
    expect((await refusal(withHeader(original, { ...header, version: 99 }))).code).toBe('vault_unsupported_version');
  });
});
