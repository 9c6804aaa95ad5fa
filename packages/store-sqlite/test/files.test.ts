import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMfaError } from '@mfakit/core';
import { verifyAuditChain } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, runSecretsAtRestStory, signUp } from '@mfakit/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_SCHEMA_VERSION, SqliteRegistryStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mfakit-sqlite-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const newPath = () => join(dir, `db-${++n}.sqlite`);

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

/** The file and whatever SQLite files sit next to it. */
const snapshot = (path: string) =>
  ['', '-wal', '-shm', '-journal'].map((suffix) =>
    existsSync(path + suffix) ? readFileSync(path + suffix).toString('hex') : null,
  );

describe('migrations', () => {
  it('creates the schema on an empty file, records it, and opens it again without change', async () => {
    const path = newPath();
    const store = await SqliteRegistryStore.open(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'registry tables' },
      { version: 2, name: 'challenge allowed keys' },
    ]);
    expect(db.pragma('application_id', { simple: true })).toBe(0x6d666b31);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(await SqliteRegistryStore.schemaState(path)).toEqual({
      version: SQLITE_SCHEMA_VERSION,
      latest: SQLITE_SCHEMA_VERSION,
    });
    await (await SqliteRegistryStore.open(path)).close();
  });

  it('migrates from every older version to the latest, as a fresh database', async () => {
    const fresh = newPath();
    await (await SqliteRegistryStore.open(fresh)).close();
    const schemaOf = (path: string) => {
      const db = new Database(path, { readonly: true });
      const rows = db
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name <> 'schema_migrations' ORDER BY name")
        .all();
      db.close();
      return rows;
    };
    for (let version = 0; version < SQLITE_SCHEMA_VERSION; version++) {
      const path = newPath();
      expect((await SqliteRegistryStore.migrate(path, { to: version })).version).toBe(version);
      // An outdated file is refused when the operator asked for no migration on open…
      const error = await refusal(SqliteRegistryStore.open(path, { migrate: false }));
      expect(isMfaError(error, 'schema_outdated')).toBe(true);
      // …and migrated to the latest otherwise.
      await (await SqliteRegistryStore.open(path)).close();
      expect(schemaOf(path)).toEqual(schemaOf(fresh));
    }
  });

  it('keeps a challenge issued before version 2 as one that allows no key', async () => {
    const path = newPath();
    await SqliteRegistryStore.migrate(path, { to: 1 });
    const db = new Database(path);
    db.prepare(
      "INSERT INTO challenges (id, user_id, ceremony, created_at, expires_at) VALUES ('c1', 'u1', 'authentication', 1, 2)",
    ).run();
    db.close();
    const store = await SqliteRegistryStore.open(path);
    expect(await store.challenges.take('c1')).toEqual({
      id: 'c1',
      userId: 'u1',
      ceremony: 'authentication',
      createdAt: 1,
      expiresAt: 2,
      allowedKeys: [],
    });
    await store.close();
  });

  it('refuses a database migrated by a newer version, changing nothing', async () => {
    const path = newPath();
    await (await SqliteRegistryStore.open(path)).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(99, 'future', 0);
    db.close();
    const before = snapshot(path);
    const error = await refusal(SqliteRegistryStore.open(path));
    expect(isMfaError(error, 'schema_too_new')).toBe(true);
    expect((error as Error).message).toMatch(/upgrade @mfakit\/store-sqlite/);
    expect(snapshot(path)).toEqual(before);
  });

  it('runs the migrate command, and reports the version read-only', async () => {
    const path = newPath();
    const { execFileSync } = await import('node:child_process');
    const cli = (...args: string[]) =>
      execFileSync(
        process.execPath,
        ['--conditions=@mfakit/source', '--import', 'tsx', 'src/migrate-cli.ts', ...args],
        { encoding: 'utf8', cwd: join(import.meta.dirname, '..') },
      );
    expect(cli(path)).toContain('applied 1, 2; schema version 2');
    expect(cli(path)).toContain('up to date (schema version 2)');
    expect(cli(path, '--status')).toContain('schema version 2 (this code: 2)');
  });
});

describe('bad files', () => {
  it('refuses a file that is not SQLite, changing nothing', async () => {
    const path = newPath();
    writeFileSync(path, 'name,secret\nalice,JBSWY3DPEHPK3PXP\n'.repeat(100));
    const before = snapshot(path);
    const error = await refusal(SqliteRegistryStore.open(path));
    expect(isMfaError(error, 'store_corrupt')).toBe(true);
    expect((error as Error).message).not.toContain('JBSWY3DP');
    expect(snapshot(path)).toEqual(before);
  });

  it('refuses a truncated registry database, changing nothing', async () => {
    const path = newPath();
    const store = await SqliteRegistryStore.open(path);
    const world = createMfaWorld({ store });
    for (let i = 0; i < 20; i++) await enrollPhone(world, await signUp(world, { name: `user ${i}` }));
    await store.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThan(8 * 4096);
    writeFileSync(path, bytes.subarray(0, 3 * 4096 + 100));
    const before = snapshot(path);
    const error = await refusal(
      SqliteRegistryStore.open(path).then(async (opened) => {
        // A truncation past the pages open reads shows on the first read of a lost page.
        try {
          await opened.users.list();
          await opened.devices.list();
        } finally {
          await opened.close();
        }
      }),
    );
    expect(isMfaError(error, 'store_corrupt')).toBe(true);
    expect(snapshot(path)[0]).toEqual(before[0]);
  });

  it("refuses another application's database, creating nothing in it", async () => {
    const path = newPath();
    const db = new Database(path);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada')");
    db.close();
    const before = snapshot(path);
    const error = await refusal(SqliteRegistryStore.open(path));
    expect(isMfaError(error, 'store_foreign')).toBe(true);
    expect(snapshot(path)).toEqual(before);
  });

  it('says clearly when the folder does not exist', async () => {
    const error = await refusal(SqliteRegistryStore.open(join(dir, 'missing', 'folder', 'db.sqlite')));
    expect(isMfaError(error, 'store_unavailable')).toBe(true);
    expect((error as Error).message).toMatch(/folder exists/);
  });

  it('refuses a folder in place of the file', async () => {
    const error = await refusal(SqliteRegistryStore.open(dir));
    expect(isMfaError(error, 'store_unavailable')).toBe(true);
    expect((error as Error).message).toMatch(/readable database file/);
  });

  it('fails closed after close', async () => {
    const store = await SqliteRegistryStore.open(':memory:');
    await store.close();
    const error = await refusal(store.users.get('u1'));
    expect(isMfaError(error, 'store_unavailable')).toBe(true);
  });
});

describe('backup', () => {
  it('copies a live database to a file that opens, verifies and holds the data', async () => {
    const path = newPath();
    const store = await SqliteRegistryStore.open(path);
    const world = createMfaWorld({ store });
    const user = await signUp(world, { name: 'Backed Up' });
    await enrollPhone(world, user);
    const writes = Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.audit.append({
          at: i,
          event: 'test_event',
          actor: 'system',
          accountId: null,
          userId: null,
          deviceId: null,
          outcome: 'ok',
          detail: { i },
        }),
      ),
    );
    const target = join(dir, 'backup.sqlite');
    await Promise.all([store.backup(target), writes]);
    await store.close();
    const restored = await SqliteRegistryStore.open(target, { migrate: false });
    expect((await restored.users.get(user.id))?.name).toBe('Backed Up');
    expect(verifyAuditChain(await restored.audit.list()).ok).toBe(true);
    expect(await restored.devices.list({ userId: user.id })).toHaveLength(1);
    await restored.close();
  });
});

describe('secrets at rest', () => {
  it('keeps no secret, code or recovery code in the raw database file (and its WAL) in any encoding', async () => {
    const path = newPath();
    const store = await SqliteRegistryStore.open(path);
    const canaries = await runSecretsAtRestStory(store);
    const raw = ['', '-wal']
      .map((suffix) => (existsSync(path + suffix) ? readFileSync(path + suffix).toString('latin1') : ''))
      .join('\n');
    // The reading works: what is stored in clear (the user's email) is found.
    expect(raw).toContain('canary.1@example.test');
    for (const canary of canaries) expect(raw.includes(canary), 'a canary in the raw database').toBe(false);
    await store.close();
  });
});
