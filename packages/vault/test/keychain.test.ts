/**
 * Keychain slots against a REAL Secret Service (gnome-keyring on a private D-Bus session). Run with
 *   dbus-run-session -- bash scripts/with-keyring.sh npx -y pnpm@10 exec vitest run --project vault
 * Without a reachable Secret Service these tests fail (they do not skip): the probe in beforeAll says how
 * to start one. One test deliberately runs a child with no usable bus and checks the error it reports.
 */
import { execFile, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { isMfaError } from '@mfakit/core';
import { createVault, openVault, osKeychain, type VaultErrorCode } from '@mfakit/vault';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { bundleChild } from './fixtures/bundle.js';
import { memoryKeychain } from './fixtures/memory-keychain.js';
import { FAST_SCRYPT, PASSPHRASE, readBytes, readHeader, tempDirectory } from './helpers.js';

const SERVICE = 'mfakit-test';
const run = promisify(execFile);
const created: Array<{ service: string; account: string }> = [];

let probe: Promise<void> | undefined;

/**
 * Called first by every test that needs the keychain, so that each of them FAILS (rather than being
 * reported as skipped, as a failing beforeAll would make them) when no Secret Service is reachable.
 */
function requireSecretService(): Promise<void> {
  probe ??= (async () => {
    const entry = { service: SERVICE, account: `probe ${process.pid}` };
    try {
      await osKeychain().setKey(entry.service, entry.account, new Uint8Array([1, 2, 3]));
      expect(await osKeychain().getKey(entry.service, entry.account)).toEqual(new Uint8Array([1, 2, 3]));
      await osKeychain().deleteKey(entry.service, entry.account);
    } catch (error) {
      throw new Error(
        'No Secret Service is reachable, so the OS-keychain tests cannot run. Run them inside a D-Bus session ' +
          'with an unlocked gnome-keyring: dbus-run-session -- bash scripts/with-keyring.sh npx -y pnpm@10 exec ' +
          `vitest run --project vault (apt: dbus-daemon gnome-keyring libsecret-tools). Cause: ${String(error)}`,
      );
    }
  })();
  return probe;
}

afterEach(async () => {
  for (const entry of created.splice(0))
    await osKeychain()
      .deleteKey(entry.service, entry.account)
      .catch(() => false);
});

/** The keychain slot entries a vault file names (remembered for cleanup). */
async function keychainEntries(path: string): Promise<Array<{ service: string; account: string }>> {
  const header = readHeader(await readBytes(path));
  const entries = header.slots
    .filter((slot: { type: string }) => slot.type === 'keychain')
    .map(({ service, account }: { service: string; account: string }) => ({ service, account }));
  created.push(...entries);
  return entries;
}

/** Looks the entry up with libsecret's own tool: proof that it lives in the Secret Service. */
async function secretToolLookup(entry: { service: string; account: string }): Promise<string | undefined> {
  try {
    const { stdout } = await run('secret-tool', ['lookup', 'service', entry.service, 'username', entry.account]);
    return stdout;
  } catch {
    return undefined; // secret-tool exits 1 when there is no such item
  }
}

async function rejectsWith(promise: Promise<unknown>, code: VaultErrorCode): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isMfaError(error, code), `expected MfaError ${code}, got ${String(error)}`).toBe(true);
  return error as Error;
}

describe('keychain slots in the Secret Service', () => {
  test('a keychain-only vault opens without any passphrase; the key is stored in the Secret Service', async () => {
    await requireSecretService();
    const path = join(await tempDirectory(), 'vault.mfakit');
    const vault = await createVault({ path, keychain: true, keychainService: SERVICE, env: {} });
    vault.addAccount({ issuer: 'GitHub', name: 'alice', secret: new Uint8Array(20).fill(1) });
    await vault.save();
    const [entry] = await keychainEntries(path);
    expect(entry?.service).toBe(SERVICE);
    const stored = await secretToolLookup(entry ?? { service: '', account: '' });
    expect(Buffer.from(stored ?? '', 'base64')).toHaveLength(32);

    const reopened = await openVault({ path, env: {} });
    expect(reopened.unlockedWith.type).toBe('keychain');
    expect(reopened.accounts.map((account) => account.issuer)).toEqual(['GitHub']);
    // Asked not to use the keychain, a keychain-only vault cannot open: said clearly.
    await rejectsWith(openVault({ path, keychain: false, env: {} }), 'keychain_unavailable');
  });

  test('with both slots, a passphrase selects the passphrase slot and no passphrase uses the keychain', async () => {
    await requireSecretService();
    const path = join(await tempDirectory(), 'vault.mfakit');
    await createVault({
      path,
      passphrase: PASSPHRASE,
      keychain: true,
      keychainService: SERVICE,
      env: {},
      ...FAST_SCRYPT,
    });
    await keychainEntries(path);
    expect((await openVault({ path, env: {} })).unlockedWith.type).toBe('keychain');
    expect((await openVault({ path, env: { MFAKIT_PASSPHRASE: PASSPHRASE } })).unlockedWith.type).toBe('passphrase');
  });

  test('addKeychainSlot and removeSlot add and delete the Secret Service entry', async () => {
    await requireSecretService();
    const path = join(await tempDirectory(), 'vault.mfakit');
    const vault = await createVault({
      path,
      passphrase: PASSPHRASE,
      keychainService: SERVICE,
      env: {},
      ...FAST_SCRYPT,
    });
    const slot = await vault.addKeychainSlot();
    const [entry] = await keychainEntries(path);
    if (entry === undefined) throw new Error('no keychain slot in the file');
    expect(await secretToolLookup(entry)).toBeDefined();
    expect((await openVault({ path, env: {} })).unlockedWith).toEqual(slot);

    expect(await vault.removeSlot(slot.id)).toEqual({ keychainEntryDeleted: true });
    expect(await secretToolLookup(entry)).toBeUndefined();
    await rejectsWith(openVault({ path, env: {} }), 'passphrase_required');
  });

  test('an entry deleted from the keychain is keychain_key_missing, pointing to the passphrase', async () => {
    await requireSecretService();
    const path = join(await tempDirectory(), 'vault.mfakit');
    await createVault({
      path,
      passphrase: PASSPHRASE,
      keychain: true,
      keychainService: SERVICE,
      env: {},
      ...FAST_SCRYPT,
    });
    const [entry] = await keychainEntries(path);
    await run('secret-tool', ['clear', 'service', entry?.service ?? '', 'username', entry?.account ?? '']);
    const before = await readBytes(path);
    const error = await rejectsWith(openVault({ path, env: {} }), 'keychain_key_missing');
    expect(error.message).toMatch(/MFAKIT_PASSPHRASE/);
    expect(await readBytes(path)).toEqual(before);
  });

  test('an entry replaced with another key is keychain_key_wrong', async () => {
    await requireSecretService();
    const path = join(await tempDirectory(), 'vault.mfakit');
    await createVault({ path, keychain: true, keychainService: SERVICE, env: {} });
    const [entry] = await keychainEntries(path);
    await osKeychain().setKey(entry?.service ?? '', entry?.account ?? '', new Uint8Array(32).fill(9));
    const error = await rejectsWith(openVault({ path, env: {} }), 'keychain_key_wrong');
    expect(error.message).toMatch(/no passphrase slot/);
  });
});

describe('no Secret Service', () => {
  let childScript: string;
  beforeAll(async () => {
    childScript = await bundleChild('keychain-child.ts');
  }, 60_000);
  afterAll(async () => {
    await rm(dirname(childScript), { recursive: true, force: true });
  });

  test('a process whose D-Bus address leads nowhere gets keychain_unavailable, never a fallback store', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'vault.mfakit');
    const newPath = join(directory, 'new.mfakit');
    // Made with an in-memory keychain: the child never gets as far as looking the entry up, and this test
    // is the one that must pass where there is no Secret Service at all.
    const keychainStore = memoryKeychain();
    await createVault({ path, passphrase: PASSPHRASE, keychain: true, keychainStore, env: {}, ...FAST_SCRYPT });
    const before = await readBytes(path);

    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [childScript, path, newPath], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(directory, 'no-bus-here')}`,
          TEST_PASSPHRASE: PASSPHRASE,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`child failed: ${stderr}`))));
    });
    const results = JSON.parse(output);

    expect(results.open).toMatchObject({ ok: false, code: 'keychain_unavailable' });
    expect(results.open.message).toMatch(/OS keychain is not available \(.*no-bus-here/);
    expect(results.open.message).toMatch(/also has a passphrase.*MFAKIT_PASSPHRASE/);
    // The passphrase slot still works without any keychain.
    expect(results.openWithPassphrase).toEqual({ ok: true, message: 'passphrase' });
    // Creating a keychain vault fails outright: no kernel-keyring fallback, no file written.
    expect(results.create).toMatchObject({ ok: false, code: 'keychain_unavailable' });
    expect(results.create.message).toMatch(/Secret Service.*Nothing was written.*passphrase instead/);
    expect(results.createdFile).toBe(false);
    expect(await readBytes(path)).toEqual(before);
  });
});
