/**
 * Hostile vault files and file-system tricks that once cost seconds of CPU, surfaced a raw
 * exception, or weakened what the README promises. Each attack keeps its shape at a size that runs
 * fast; expensive steps are counted (scrypt derivations), never timed.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMfaError } from '@mfakit/core';
import { createVault, openVault } from '@mfakit/vault';
import { beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { memoryKeychain } from './fixtures/memory-keychain.js';
import {
  CANARY_SECRET,
  CANARY_TEXT,
  FAST_SCRYPT,
  PASSPHRASE,
  readBytes,
  readHeader,
  suiteTempDirectory,
  withHeader,
} from './helpers.js';

// Counts scrypt derivations started by the vault (node:crypto's async scrypt is its only KDF).
const derivations = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  const scrypt = ((...args: Parameters<typeof original.scrypt>) => {
    derivations.count += 1;
    return (original.scrypt as (...rest: unknown[]) => void)(...args);
  }) as typeof original.scrypt;
  return { ...original, scrypt, default: { ...original, scrypt } };
});

async function outcome(promise: Promise<{ close(): void }>): Promise<unknown> {
  try {
    (await promise).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('scrypt parameters of a hostile passphrase slot', () => {
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
    await vault.save();
    vault.close();
    original = await readBytes(path);
  });
  beforeEach(() => {
    derivations.count = 0;
  });

  async function openWithSlot(changes: Record<string, unknown>): Promise<unknown> {
    const header = readHeader(original);
    const slots = header.slots.map((slot: { type: string }) =>
      slot.type === 'passphrase' ? { ...slot, ...changes } : slot,
    );
    await writeFile(path, withHeader(original, { ...header, slots }));
    return outcome(openVault({ path, passphrase: PASSPHRASE, env: {}, keychainStore }));
  }

  // The review's files: n = 2^21, r = 1, p = 16 gave a raw RangeError
  // (ERR_CRYPTO_INVALID_SCRYPT_PARAMS); n = 2^15, r = 64, p = 16 cost 11.2 s before
  // wrong_passphrase. The old bounds (r ≤ 64, p ≤ 16, 128·N·r ≤ 256 MiB) accepted every shape
  // below; now only what createVault writes is read.
  test.each([
    ['N = 2^21, r = 1, p = 16', { n: 2 ** 21, r: 1, p: 16 }],
    ['r = 9', { r: 9 }],
    ['p = 2', { p: 2 }],
    ['r = 1 (cheaper, also not written)', { r: 1 }],
    ['N = 2^19', { n: 2 ** 19 }],
    ['N = 2^24, r = 1', { n: 2 ** 24, r: 1 }],
    ['r as a string', { r: '8' }],
    ['p as a float', { p: 1.5 }],
  ])('%s is vault_corrupt before any derivation', async (_name, changes) => {
    const error = await openWithSlot(changes);
    expect(isMfaError(error, 'vault_corrupt'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/scrypt parameters/);
    expect((error as Error).message).not.toContain(PASSPHRASE);
    expect((error as Error).message).not.toContain(CANARY_TEXT);
    expect(derivations.count).toBe(0);
  });

  test('parameters the vault writes but the slot was not sealed with derive once, then wrong_passphrase', async () => {
    const error = await openWithSlot({ n: 2 ** 16 });
    expect(isMfaError(error, 'wrong_passphrase')).toBe(true);
    expect(derivations.count).toBe(1);
  });

  test('the untouched file opens with one derivation', async () => {
    await writeFile(path, original);
    expect(await outcome(openVault({ path, passphrase: PASSPHRASE, env: {}, keychainStore }))).toBeUndefined();
    expect(derivations.count).toBe(1);
  });
});
