/**
 * Hostile inputs that once cost seconds of CPU, gigabytes of memory or a raw exception. Each test
 * keeps the attack's shape at a size that runs fast but that the old code accepted, and checks
 * the refusal happens before the expensive step (counted, never timed).
 */
import { isMfaError } from '@mfakit/core';
import { decryptAegisVault, encryptAegisVault } from '@mfakit/otpauth';
import { beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { CANARY_BYTES, expectNoCanary } from './support/canary.js';

// Counts every scrypt derivation the package starts (the expensive step of an encrypted import).
const derivations = vi.hoisted(() => ({ count: 0 }));
vi.mock('@noble/hashes/scrypt.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('@noble/hashes/scrypt.js')>();
  return {
    ...original,
    scryptAsync: (...args: Parameters<typeof original.scryptAsync>) => {
      derivations.count += 1;
      return original.scryptAsync(...args);
    },
  };
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const PASSWORD = 'canary pässword 7f3a';

describe('Aegis: scrypt parameters of a hostile file', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the test edits the raw vault JSON
  let vault: any;
  beforeAll(async () => {
    vault = JSON.parse(
      await encryptAegisVault([{ secret: CANARY_BYTES, account: 'alice' }], PASSWORD, {
        scrypt: { N: 2 ** 10, r: 8, p: 1 },
      }),
    );
  });
  beforeEach(() => {
    derivations.count = 0;
  });

  function withSlots(...slots: object[]): string {
    const copy = structuredClone(vault);
    copy.header.slots = slots.map((parameters) => ({ ...copy.header.slots[0], ...parameters }));
    return JSON.stringify(copy);
  }

  // The review's files were N=2, r=1, p=2^21 (17.5 s of CPU) and N=2, r=2^19, p=4 (12.9 s, the
  // event loop blocked 1.4 s at a time). Same shapes, smaller: the old limit (N·r·p ≤ 2^22)
  // accepted all of these and derived before failing.
  test.each([
    ['huge p', { n: 2, r: 1, p: 2 ** 12 }],
    ['huge r', { n: 2, r: 2 ** 10, p: 4 }],
    ['r other than 8', { n: 2 ** 10, r: 16, p: 1 }],
    ['p other than 1', { n: 2 ** 10, r: 8, p: 2 }],
    ['N above 2^17', { n: 2 ** 18, r: 8, p: 1 }],
    ['N not a power of two', { n: 1000, r: 8, p: 1 }],
    ['N as a string', { n: '1024', r: 8, p: 1 }],
    ['N negative', { n: -1024, r: 8, p: 1 }],
  ])('%s is refused before any derivation', async (_name, parameters) => {
    const error = await rejection(decryptAegisVault(withSlots(parameters), PASSWORD));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect((error as Error).message).toContain('scrypt parameters');
    expect(derivations.count).toBe(0);
    expectNoCanary(error);
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  test('a hostile slot after a good one is refused before the good one is derived', async () => {
    const error = await rejection(decryptAegisVault(withSlots({}, { n: 2, r: 1, p: 2 ** 12 }), 'wrong'));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect(derivations.count).toBe(0);
  });

  test('the work of all password slots together is bounded (a wrong password tries each)', async () => {
    // Two slots at the per-slot maximum are 8× one Aegis unlock; the old limit allowed 16 of them.
    const error = await rejection(decryptAegisVault(withSlots({ n: 2 ** 17 }, { n: 2 ** 17 }), 'wrong'));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect((error as Error).message).toContain('scrypt work');
    expect(derivations.count).toBe(0);
    const many = await rejection(decryptAegisVault(withSlots(...Array.from({ length: 5 }, () => ({}))), 'wrong'));
    expect(isMfaError(many, 'invalid_aegis_vault')).toBe(true);
    expect(derivations.count).toBe(0);
  });

  test('what Aegis writes still opens, and a wrong password still derives each slot once', async () => {
    const opened = await decryptAegisVault(JSON.stringify(vault), PASSWORD);
    expect(opened.accounts).toHaveLength(1);
    expect(derivations.count).toBe(1);
    const error = await rejection(decryptAegisVault(withSlots({}, {}), 'wrong'));
    expect(isMfaError(error, 'aegis_bad_password')).toBe(true);
    expect(derivations.count).toBe(3);
  });

  test('an export cannot be written with parameters the import would refuse', async () => {
    for (const scrypt of [
      { N: 2, r: 1, p: 1 },
      { N: 2 ** 10, r: 8, p: 2 },
      { N: 2 ** 18, r: 8, p: 1 },
      { N: 1000, r: 8, p: 1 },
    ]) {
      await expect(encryptAegisVault([], PASSWORD, { scrypt })).rejects.toThrow(RangeError);
    }
    expect(derivations.count).toBe(0);
  });
});
