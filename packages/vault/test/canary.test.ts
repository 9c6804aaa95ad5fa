/**
 * The canary: a recognisable account secret and the vault key must never appear in the file, in
 * inspect/JSON/string output of vault objects, or in any error (message, stack, cause).
 */

import { join } from 'node:path';
import { inspect } from 'node:util';
import { base32Encode, isMfaError } from '@mfakit/core';
import { createVault, describeVault, openVault, type Vault } from '@mfakit/vault';
import { beforeAll, expect, test } from 'vitest';
import { parseVaultFile } from '../src/format.js';
import { unwrapSlot } from '../src/slots.js';
import { memoryKeychain } from './fixtures/memory-keychain.js';
import { CANARY_SECRET, CANARY_TEXT, FAST_SCRYPT, PASSPHRASE, readBytes, suiteTempDirectory } from './helpers.js';

const keychainStore = memoryKeychain();
let vault: Vault;
let vaultKey: Uint8Array;

/** Every way the bytes could be spelled in output. */
function spellings(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  return [
    buffer.toString('hex'),
    buffer.toString('base64').slice(0, 16),
    base32Encode(bytes).slice(0, 16),
    Array.from(bytes.subarray(0, 6)).join(', '), // how inspect prints a Uint8Array
    buffer.toString('latin1').slice(0, 12),
  ];
}

function assertClean(label: string, text: string): void {
  for (const forbidden of [CANARY_TEXT, ...spellings(CANARY_SECRET), ...spellings(vaultKey)]) {
    expect(text.includes(forbidden), `${label} leaks ${forbidden.slice(0, 4)}…`).toBe(false);
  }
}

function renderError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    parts.push(inspect(current, { depth: 10 }), String(current));
    if (current instanceof Error) parts.push(current.stack ?? '', JSON.stringify(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

async function failure(operation: () => unknown): Promise<unknown> {
  try {
    await operation();
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail');
}

beforeAll(async () => {
  const path = join(await suiteTempDirectory(), 'vault.mfakit');
  vault = await createVault({ path, passphrase: PASSPHRASE, keychain: true, keychainStore, env: {}, ...FAST_SCRYPT });
  vault.addAccount({ issuer: 'Canary Inc', name: 'canary@example.com', secret: CANARY_SECRET, note: 'tweet' });
  await vault.save();
  // Recover the vault key the way only a holder of the keychain entry could, to look for it in output.
  const { header } = parseVaultFile(await readBytes(path));
  const slot = header.slots.find((candidate) => candidate.type === 'keychain');
  if (slot === undefined || slot.type !== 'keychain') throw new Error('no keychain slot');
  const slotKey = await keychainStore.getKey(slot.service, slot.account);
  const key = slotKey === null ? undefined : unwrapSlot(header.vaultId, slot, slotKey);
  if (key === undefined) throw new Error('could not recover the vault key');
  vaultKey = key;
});

test('the vault file and its backup hold neither the secret nor the vault key in any spelling', async () => {
  assertClean('vault file', Buffer.from(await readBytes(vault.path)).toString('latin1'));
  assertClean('backup file', Buffer.from(await readBytes(`${vault.path}.bak`)).toString('latin1'));
});

test('inspect, JSON and string forms of the vault and its accounts show fields, never the secret', () => {
  const account = vault.accounts[0];
  const forms = {
    inspectVault: inspect(vault, { depth: Infinity, showHidden: true }),
    inspectAccounts: inspect(vault.accounts, { depth: Infinity }),
    inspectAccountHidden: inspect(account, { depth: Infinity, showHidden: true }),
    jsonVault: JSON.stringify(vault),
    jsonAccounts: JSON.stringify(vault.accounts),
    templateString: `${JSON.stringify({ account })}`,
    slots: inspect(vault.slots, { depth: Infinity }),
  };
  for (const [label, text] of Object.entries(forms)) assertClean(label, text);
  // The forms are useful, not empty: they name the account and mark the secret as redacted.
  expect(forms.inspectAccounts).toContain('Canary Inc');
  expect(forms.inspectAccounts).toContain('[redacted]');
  expect(forms.jsonAccounts).toContain('canary@example.com');
  expect(forms.inspectVault).toMatch(/Vault \{ path: .*, accounts: 1, slots: \[passphrase, keychain\] \}/);
  // …while the real secret is still there for the caller that asks for it.
  expect(account?.secret).toEqual(CANARY_SECRET);
});

test('errors of every kind carry no secret and no key', async () => {
  const path = vault.path;
  const errors: unknown[] = [
    await failure(() => openVault({ path, passphrase: 'wrong', env: {} })),
    await failure(() => openVault({ path, env: {}, keychain: false })),
    await failure(() => openVault({ path: `${path}.missing`, env: {} })),
    await failure(() => createVault({ path, passphrase: PASSPHRASE, env: {}, ...FAST_SCRYPT })),
    await failure(() => vault.addAccount({ issuer: 'X', secret: base32Encode(CANARY_SECRET) as never })),
    await failure(() => vault.addAccount({ issuer: CANARY_TEXT.repeat(100), secret: CANARY_SECRET })),
    await failure(() => vault.updateAccount('nope', { secret: CANARY_SECRET })),
    // An id that is certainly not a slot's (replacing the first character by '0' kept a real id 1 time in 16).
    await failure(() => vault.removeSlot(`unknown-${vault.slots[0]?.id ?? ''}`)),
    await failure(() => describeVault({ path: `${path}.missing` })),
  ];
  const stale = await openVault({ path, keychainStore, env: {} });
  vault.updateAccount(vault.accounts[0]?.id ?? '', { note: 'changed' });
  await vault.save();
  stale.addAccount({ issuer: 'Y', secret: CANARY_SECRET });
  errors.push(await failure(() => stale.save()));
  for (const [index, error] of errors.entries()) {
    expect(error, `error ${index}`).toBeInstanceOf(Error);
    assertClean(`error ${index} (${isMfaError(error) ? error.code : String(error)})`, renderError(error));
  }
  expect(errors.filter((error) => isMfaError(error)).length).toBeGreaterThanOrEqual(6);
});
