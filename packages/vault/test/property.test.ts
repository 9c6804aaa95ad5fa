/**
 * Properties: any valid account list survives save and reopen unchanged; no byte string makes the
 * parser throw anything but a vault MfaError.
 */
import { join } from 'node:path';
import { HASH_ALGORITHMS, isMfaError } from '@mfakit/core';
import { createVault, type NewAccount, openVault } from '@mfakit/vault';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { parseVaultFile } from '../src/format.js';
import { memoryKeychain } from './fixtures/memory-keychain.js';
import { tempDirectory } from './helpers.js';

const newAccount: fc.Arbitrary<NewAccount> = fc.record({
  type: fc.constantFrom('totp' as const, 'hotp' as const),
  issuer: fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
  name: fc.string({ maxLength: 40, unit: 'grapheme' }),
  secret: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  algorithm: fc.constantFrom(...HASH_ALGORITHMS),
  digits: fc.integer({ min: 6, max: 10 }),
  period: fc.integer({ min: 1, max: 86_400 }),
  counter: fc.maxSafeNat(),
  note: fc.string({ maxLength: 100 }),
});

test('any account list round-trips through save and reopen', async () => {
  const directory = await tempDirectory();
  const keychainStore = memoryKeychain();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(newAccount, { maxLength: 8 }), fc.nat({ max: 2 ** 40 }), async (inputs, now) => {
      run += 1;
      const path = join(directory, `vault-${run}.mfakit`);
      const vault = await createVault({ path, keychain: true, keychainStore, env: {}, now: () => now });
      const added = inputs.map((input) => vault.addAccount(input));
      await vault.save();
      const reopened = await openVault({ path, keychainStore, env: {} });
      expect(reopened.accounts.map((account) => ({ ...account }))).toEqual(added.map((account) => ({ ...account })));
      for (const [index, input] of inputs.entries()) {
        expect(reopened.accounts[index]?.secret).toEqual(input.secret);
        expect(reopened.accounts[index]?.createdAt).toBe(now);
      }
    }),
    { numRuns: 40 },
  );
});

test('arbitrary bytes, and vault prefixes followed by arbitrary bytes, only ever raise vault MfaErrors', () => {
  const prefix = new TextEncoder().encode('MFAVAULT');
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (tail, withMagic) => {
      const bytes = withMagic ? new Uint8Array([...prefix, ...tail]) : tail;
      try {
        parseVaultFile(bytes);
      } catch (error) {
        expect(isMfaError(error, 'vault_corrupt') || isMfaError(error, 'vault_unsupported_version')).toBe(true);
        return;
      }
      throw new Error('random bytes parsed as a vault');
    }),
    { numRuns: 2000 },
  );
});
