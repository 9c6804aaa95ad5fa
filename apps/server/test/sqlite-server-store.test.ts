import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRegistryStore } from '@mfakit/store-sqlite';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { SqliteServerStore } from '../src/sqlite-server-store.js';

let dir: string;
let registryStore: SqliteRegistryStore;
let serverStore: SqliteServerStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mfakit-server-store-'));
  const file = join(dir, 'mfakit.db');
  registryStore = await SqliteRegistryStore.open(file);
  serverStore = new SqliteServerStore(file, { busyTimeoutMs: 2000 });
});

afterEach(async () => {
  await serverStore.close();
  await registryStore.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a server write while the registry's connection holds the write lock (its group commit) waits for it instead of failing", async () => {
  // The registry store keeps its write open until the event loop's next turn: a busy handler that
  // slept here would keep that turn from coming, and fail with "database is locked".
  const account = registryStore.accounts.insert({ id: 'acct-1', rootUserId: 'user-1', createdAt: 1 });
  const hits = [
    serverStore.hitRateLimit('sign-in:a@example.com', 0),
    serverStore.hitRateLimit('sign-in:a@example.com', 0),
  ];
  const session = serverStore.insertSession({
    idHash: 'h'.repeat(64),
    userId: 'user-1',
    createdAt: 1,
    lastSeenAt: 1,
    mfaAt: null,
    stage: 'password',
  });
  expect(await account).toBe(true);
  expect(await Promise.all(hits)).toEqual([1, 2]);
  await session;
  expect((await serverStore.getSession('h'.repeat(64)))?.userId).toBe('user-1');
  expect(await registryStore.accounts.get('acct-1')).toMatchObject({ rootUserId: 'user-1' });
});

test('writes made together share a commit and still count exactly, each answered after it', async () => {
  const hits = Array.from({ length: 50 }, () => serverStore.hitRateLimit('mfa:user-1', 0));
  const other = serverStore.hitRateLimit('mfa:user-2', 0);
  expect((await Promise.all(hits)).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  expect(await other).toBe(1);
  // Committed: another connection to the file sees every hit.
  const reader = new SqliteServerStore(join(dir, 'mfakit.db'));
  try {
    expect(await reader.hitRateLimit('mfa:user-1', 0)).toBe(51);
  } finally {
    await reader.close();
  }
});
